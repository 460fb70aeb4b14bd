using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;

namespace Reverification.Identity.Internal;

/// <summary>
/// Receipts of a verification for a Blazor Server circuit. A circuit keeps the principal its first request
/// authenticated and cannot read or write the cookie; after the browser's request to the endpoints refreshed the
/// cookie, <c>POST {prefix}/receipt</c> answers the cookie's verification claims as a receipt, data-protected (so the
/// browser can neither read nor forge it), bound to the user id and expiring after <see cref="Lifetime"/>. The circuit
/// hands it back to <see cref="ReadAsync"/>, which checks it against the circuit's own user and the user's security
/// stamp now, and gives the circuit's principal with those verification claims.
/// </summary>
internal sealed class VerificationReceipts<TUser>(
    UserManager<TUser> users,
    IDataProtectionProvider protection,
    IdentityVerificationClaims verificationClaims,
    TimeProvider timeProvider)
    where TUser : class
{
    /// <summary>How long a receipt is accepted.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(2);

    private const string Purpose = "Reverification.Identity.VerificationReceipt.v1";

    private readonly IDataProtector _protector = protection.CreateProtector(Purpose);

    /// <summary>A receipt of the verification claims <paramref name="principal"/> carries now, for <paramref name="userId"/>.</summary>
    public string Create(string userId, ClaimsPrincipal principal)
    {
        var expires = timeProvider.GetUtcNow().Add(Lifetime).ToUnixTimeSeconds();
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteString("u", userId);
            writer.WriteNumber("e", expires);
            writer.WriteStartArray("c");
            foreach (var claim in verificationClaims.CopyFrom(principal))
            {
                writer.WriteStartArray();
                writer.WriteStringValue(claim.Type);
                writer.WriteStringValue(claim.Value);
                writer.WriteStringValue(claim.ValueType);
                writer.WriteEndArray();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return WebEncoders.Base64UrlEncode(_protector.Protect(stream.ToArray()));
    }

    /// <summary>
    /// The circuit's principal with the receipt's verification claims, or why the receipt is refused: not one this app
    /// issued (forged, altered, another key ring), expired, another user's than the circuit's, or recorded before the
    /// user's security stamp changed.
    /// </summary>
    public async Task<(ClaimsPrincipal? Principal, string? Refusal)> ReadAsync(string? receipt, ClaimsPrincipal circuitUser)
    {
        ArgumentNullException.ThrowIfNull(circuitUser);
        if (string.IsNullOrEmpty(receipt) || receipt.Length > 16 * 1024)
        {
            return (null, "the receipt is empty or too long");
        }

        byte[] payload;
        try
        {
            payload = _protector.Unprotect(WebEncoders.Base64UrlDecode(receipt));
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            return (null, "the receipt was not issued by this app or was altered");
        }

        if (!TryParse(payload, out var userId, out var expires, out var claims))
        {
            return (null, "the receipt is malformed");
        }

        if (timeProvider.GetUtcNow().ToUnixTimeSeconds() >= expires)
        {
            return (null, "the receipt expired");
        }

        var circuitUserId = users.GetUserId(circuitUser);
        if (circuitUserId is null || !string.Equals(circuitUserId, userId, StringComparison.Ordinal))
        {
            return (null, "the receipt is another user's than the circuit's");
        }

        var user = await users.FindByIdAsync(userId).ConfigureAwait(false);
        if (user is null)
        {
            return (null, "the user no longer exists");
        }

        // The times count only while bound to the user's security stamp now (as on every request).
        var expected = await IdentityVerificationClaims.ExpectedStampAsync(users, user, userId).ConfigureAwait(false);
        if (!IdentityVerificationClaims.StampMatches(new ClaimsPrincipal(new ClaimsIdentity(claims, "receipt")), expected, users.SupportsUserSecurityStamp))
        {
            return (null, "the user's security stamp changed since the verification");
        }

        return (verificationClaims.Replace(circuitUser, claims), null);
    }

    /// <summary>
    /// Whether the verification times <paramref name="circuitUser"/> carries are still bound to the user's security
    /// stamp now (one store read): a circuit outlives credential changes made elsewhere.
    /// </summary>
    public async Task<bool> StampStillValidAsync(ClaimsPrincipal circuitUser)
    {
        ArgumentNullException.ThrowIfNull(circuitUser);
        if (users.GetUserId(circuitUser) is not { } userId || await users.FindByIdAsync(userId).ConfigureAwait(false) is not { } user)
        {
            return false;
        }

        var expected = await IdentityVerificationClaims.ExpectedStampAsync(users, user, userId).ConfigureAwait(false);
        return IdentityVerificationClaims.StampMatches(circuitUser, expected, users.SupportsUserSecurityStamp);
    }

    private bool TryParse(byte[] payload, out string userId, out long expires, out List<Claim> claims)
    {
        userId = string.Empty;
        expires = 0;
        claims = [];
        try
        {
            using var document = JsonDocument.Parse(payload);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("u", out var u) || u.ValueKind != JsonValueKind.String
                || !root.TryGetProperty("e", out var e) || !e.TryGetInt64(out expires)
                || !root.TryGetProperty("c", out var c) || c.ValueKind != JsonValueKind.Array)
            {
                return false;
            }

            userId = u.GetString()!;
            foreach (var item in c.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Array || item.GetArrayLength() != 3
                    || item[0].GetString() is not { } type || item[1].GetString() is not { } value || item[2].GetString() is not { } valueType)
                {
                    return false;
                }

                var claim = new Claim(type, value, valueType);
                if (!verificationClaims.IsVerificationClaim(claim))
                {
                    return false;
                }

                claims.Add(claim);
            }

            return true;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return false;
        }
    }
}
