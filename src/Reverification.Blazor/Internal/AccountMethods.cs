using System.Text.Json;

namespace Reverification.Blazor.Internal;

/// <summary>
/// The answer of the Identity endpoints' <c>GET {prefix}/methods</c>: the methods the account has and how long ago
/// each factor was verified, as the caller's credential says.
/// </summary>
internal sealed class AccountMethods
{
    public const string Password = "password";
    public const string Authenticator = "authenticator";
    public const string RecoveryCode = "recovery_code";
    public const string Passkey = "passkey";

    private AccountMethods(HashSet<string> methods, long? firstFactorAgeSeconds, long? secondFactorAgeSeconds)
    {
        Methods = methods;
        FirstFactorAgeSeconds = firstFactorAgeSeconds;
        SecondFactorAgeSeconds = secondFactorAgeSeconds;
    }

    public IReadOnlySet<string> Methods { get; }

    public long? FirstFactorAgeSeconds { get; }

    public long? SecondFactorAgeSeconds { get; }

    public bool Has(string method) => Methods.Contains(method);

    /// <summary>Whether the account has a second factor of its own (Identity's two-factor: an authenticator, recovery codes).</summary>
    public bool HasSecondFactor => Has(Authenticator) || Has(RecoveryCode);

    /// <summary>Reads the answer; <see langword="null"/> for anything else (never throws).</summary>
    public static AccountMethods? TryParse(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("methods", out var list)
                || list.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            var methods = new HashSet<string>(StringComparer.Ordinal);
            foreach (var item in list.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.String && item.GetString() is { } name)
                {
                    methods.Add(name);
                }
            }

            return new AccountMethods(methods, Age(root, "firstFactorAgeSeconds"), Age(root, "secondFactorAgeSeconds"));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static long? Age(JsonElement root, string name)
        => root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var seconds) && seconds >= 0
            ? seconds
            : null;
}
