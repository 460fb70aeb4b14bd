using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Reverification.LoadTest;

/// <summary>Signs test JWTs with Microsoft.IdentityModel.Tokens, and makes the forged ones.</summary>
internal static class TestTokens
{
    public const string Issuer = "https://issuer.reverification.test";
    public const string Audience = "reverification-api";

    /// <summary>The key the app trusts.</summary>
    public static SymmetricSecurityKey Key { get; } = new(RandomNumberGenerator.GetBytes(32)) { KeyId = "trusted" };

    /// <summary>A key the app does not trust (same key id, to make the forgery as close as possible).</summary>
    public static SymmetricSecurityKey OtherKey { get; } = new(RandomNumberGenerator.GetBytes(32)) { KeyId = "trusted" };

    private static readonly JsonWebTokenHandler s_handler = new();

    public static string Sign(string payload, SecurityKey? key = null)
        => s_handler.CreateToken(payload, new SigningCredentials(key ?? Key, SecurityAlgorithms.HmacSha256));

    /// <summary>An unsigned token: <c>{"alg":"none"}</c> and an empty signature.</summary>
    public static string Unsigned(string payload)
        => Base64UrlEncoder.Encode("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + Base64UrlEncoder.Encode(payload) + ".";

    /// <summary>
    /// A payload with <c>iss</c>, <c>aud</c>, <c>sub</c>, <c>nbf</c> and <c>exp</c> (valid for an hour around
    /// <paramref name="now"/> unless given), then the claims <paramref name="claims"/> writes.
    /// </summary>
    public static string Payload(
        long now,
        Action<Utf8JsonWriter>? claims = null,
        long? expiresAt = null,
        long? notBefore = null,
        string issuer = Issuer,
        string audience = Audience,
        string subject = "user-1")
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("iss", issuer);
            writer.WriteString("aud", audience);
            writer.WriteString("sub", subject);
            writer.WriteNumber("nbf", notBefore ?? now - 60);
            writer.WriteNumber("exp", expiresAt ?? now + 3600);
            claims?.Invoke(writer);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Timestamp claims (the library's default format), as JSON numbers; <see langword="null"/> leaves one out.</summary>
    public static Action<Utf8JsonWriter> Timestamps(long? firstFactor, long? secondFactor) => writer =>
    {
        if (firstFactor is { } f1)
        {
            writer.WriteNumber("f1_verified_at", f1);
        }

        if (secondFactor is { } f2)
        {
            writer.WriteNumber("f2_verified_at", f2);
        }
    };
}
