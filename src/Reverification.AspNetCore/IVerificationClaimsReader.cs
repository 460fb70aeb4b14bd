using System.Security.Claims;

namespace Reverification.AspNetCore;

/// <summary>
/// Reads when the user last verified each factor from an authenticated principal. Plug one in with
/// <see cref="ReverificationOptions.ClaimsReader"/> for a claim format the library does not know.
/// </summary>
/// <remarks>
/// <para>
/// Read only the principal's claims (a validated token, a cookie ticket), never request headers or bodies. Return
/// <see cref="VerificationTimes.Missing"/> when there is no data and <see cref="VerificationTimes.Malformed"/> for
/// anything that is not exactly what the format allows; never throw. The handler checks future times against the
/// clock skew itself.
/// </para>
/// <para>The reader is called on every request to a protected endpoint: keep it allocation-free where you can.</para>
/// </remarks>
public interface IVerificationClaimsReader
{
    /// <summary>
    /// Reads the verification times of <paramref name="principal"/>.
    /// </summary>
    /// <param name="principal">The authenticated principal.</param>
    /// <returns>The times, or the reason there are none.</returns>
    VerificationTimes Read(ClaimsPrincipal principal);
}
