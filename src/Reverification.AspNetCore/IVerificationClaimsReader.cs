using System.Security.Claims;

namespace Reverification.AspNetCore;

/// <summary>
/// Reads when the user last verified each factor from one authenticated identity. Plug one in with
/// <c>options.UseClaimsReader(...)</c> for a claim format the library does not know.
/// </summary>
/// <remarks>
/// <para>
/// Read only the identity's claims (a validated token, a cookie ticket), never request headers or bodies. Return
/// <see cref="VerificationTimes.Missing"/> when the identity carries no verification data, and
/// <see cref="VerificationTimes.Malformed"/> (or <see cref="VerificationTimes.MalformedClaim(string)"/>) for anything
/// that is not exactly what the format allows. A reader that throws denies the request as malformed. Future times are
/// checked against the clock skew by the library.
/// </para>
/// <para>
/// The reader is called for each authenticated identity of the principal: the first identity that carries data
/// counts, and another identity that carries data must have the same subject, or the request is denied (times of two
/// users never combine). It runs on every request to a protected endpoint: keep it allocation-free where you can.
/// </para>
/// </remarks>
public interface IVerificationClaimsReader
{
    /// <summary>
    /// Reads the verification times of <paramref name="identity"/>.
    /// </summary>
    /// <param name="identity">An authenticated identity.</param>
    /// <returns>The times, or the reason there are none.</returns>
    VerificationTimes Read(ClaimsIdentity identity);
}
