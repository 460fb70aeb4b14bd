using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using System.Text.RegularExpressions;
using Reverification.AspNetCore;

namespace Reverification.Fuzz;

/// <summary>
/// Plain re-statements of each claim format, written from the contract with regular expressions and JsonDocument,
/// independently of the library's allocation-free readers.
/// </summary>
internal static partial class Oracles
{
    public const string MappedAmr = "http://schemas.microsoft.com/claims/authnmethodsreferences";
    private const long MaxUnixSeconds = 253_402_300_799;

    [GeneratedRegex(@"^(0|[1-9][0-9]{0,17})(\.[0-9]{1,9})?\z", RegexOptions.CultureInvariant)]
    private static partial Regex UnixSeconds();

    [GeneratedRegex(@"^(-1|0|[1-9][0-9]{0,17})\z", RegexOptions.CultureInvariant)]
    private static partial Regex FvaElement();

    [GeneratedRegex(@"^[ \t\r\n]*\[[ \t\r\n]*(-1|0|[1-9][0-9]{0,17})[ \t\r\n]*,[ \t\r\n]*(-1|0|[1-9][0-9]{0,17})[ \t\r\n]*\][ \t\r\n]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex FvaArray();

    private static bool TryUnix(string value, out long seconds)
    {
        seconds = 0;
        var match = UnixSeconds().Match(value);
        return match.Success
            && long.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out seconds)
            && seconds <= MaxUnixSeconds;
    }

    public static VerificationTimes Timestamps(IReadOnlyList<Claim> claims)
    {
        var f1 = claims.Where(static c => c.Type == "f1_verified_at").ToList();
        var f2 = claims.Where(static c => c.Type == "f2_verified_at").ToList();
        if (f1.Count == 0 && f2.Count == 0)
        {
            return VerificationTimes.Missing;
        }

        if (f1.Count > 1 || f2.Count > 1)
        {
            return VerificationTimes.Malformed;
        }

        long s1 = 0, s2 = 0;
        if ((f1.Count == 1 && !TryUnix(f1[0].Value, out s1)) || (f2.Count == 1 && !TryUnix(f2[0].Value, out s2)))
        {
            return VerificationTimes.Malformed;
        }

        return VerificationTimes.Found(
            f1.Count == 1 ? DateTimeOffset.FromUnixTimeSeconds(s1) : null,
            f2.Count == 1 ? DateTimeOffset.FromUnixTimeSeconds(s2) : null);
    }

    public static VerificationTimes ClerkFva(IReadOnlyList<Claim> claims)
    {
        var fva = claims.Where(static c => c.Type == "fva").Select(static c => c.Value).ToList();
        var iat = claims.Where(static c => c.Type == "iat").Select(static c => c.Value).ToList();
        if (fva.Count == 0)
        {
            return VerificationTimes.Missing;
        }

        if (fva.Count > 2 || iat.Count != 1 || !TryUnix(iat[0], out var issuedAt))
        {
            return VerificationTimes.Malformed;
        }

        string a, b;
        if (fva.Count == 1)
        {
            var match = FvaArray().Match(fva[0]);
            if (!match.Success)
            {
                return VerificationTimes.Malformed;
            }

            (a, b) = (match.Groups[1].Value, match.Groups[2].Value);
        }
        else
        {
            if (!FvaElement().IsMatch(fva[0]) || !FvaElement().IsMatch(fva[1]))
            {
                return VerificationTimes.Malformed;
            }

            (a, b) = (fva[0], fva[1]);
        }

        DateTimeOffset? first = null, second = null;
        foreach (var (minutesText, isFirst) in new[] { (a, true), (b, false) })
        {
            var minutes = long.Parse(minutesText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            if (minutes == -1)
            {
                continue;
            }

            // An age that reaches before 1970 is not an age.
            var verifiedAt = issuedAt - (decimal)minutes * 60;
            if (verifiedAt < 0 || minutes > issuedAt / 60)
            {
                return VerificationTimes.Malformed;
            }

            var time = DateTimeOffset.FromUnixTimeSeconds((long)verifiedAt);
            if (isFirst)
            {
                first = time;
            }
            else
            {
                second = time;
            }
        }

        return VerificationTimes.Found(first, second, DateTimeOffset.FromUnixTimeSeconds(issuedAt));
    }

    public static VerificationTimes OpenIdConnect(IReadOnlyList<Claim> claims, ISet<string> secondFactorMethods)
    {
        var authTimes = claims.Where(static c => c.Type is "auth_time" or ClaimTypes.AuthenticationInstant).Select(static c => c.Value).ToList();
        var amr = claims.Where(static c => c.Type is "amr" or MappedAmr).Select(static c => c.Value).ToList();
        if (authTimes.Count == 0 && amr.Count == 0)
        {
            return VerificationTimes.Missing;
        }

        var second = false;
        foreach (var value in amr)
        {
            if (value.StartsWith('['))
            {
                // One claim holding the JSON array: strings only, at most 4096 characters.
                if (value.Length > 4096)
                {
                    return VerificationTimes.Malformed;
                }

                try
                {
                    using var document = JsonDocument.Parse(value);
                    if (document.RootElement.ValueKind != JsonValueKind.Array
                        || document.RootElement.EnumerateArray().Any(static e => e.ValueKind != JsonValueKind.String))
                    {
                        return VerificationTimes.Malformed;
                    }

                    second |= document.RootElement.EnumerateArray().Any(e => secondFactorMethods.Contains(e.GetString()!));
                }
                catch (JsonException)
                {
                    return VerificationTimes.Malformed;
                }
            }
            else
            {
                second |= secondFactorMethods.Contains(value);
            }
        }

        if (authTimes.Count != 1 || !TryUnix(authTimes[0], out var seconds))
        {
            return VerificationTimes.Malformed;
        }

        var time = DateTimeOffset.FromUnixTimeSeconds(seconds);
        return VerificationTimes.Found(time, second ? time : null);
    }

    public static VerificationTimes Supabase(IReadOnlyList<Claim> claims, ISet<string> firstMethods, ISet<string> secondMethods)
    {
        var amr = claims.Where(static c => c.Type is "amr" or MappedAmr).Select(static c => c.Value).ToList();
        if (amr.Count == 0)
        {
            return VerificationTimes.Missing;
        }

        long first = -1, second = -1;
        foreach (var value in amr)
        {
            if (value.Length is 0 or > 8192)
            {
                return VerificationTimes.Malformed;
            }

            try
            {
                using var document = JsonDocument.Parse(value);
                var root = document.RootElement;
                var entries = root.ValueKind == JsonValueKind.Array ? root.EnumerateArray().ToList() : [root];
                foreach (var entry in entries)
                {
                    if (entry.ValueKind != JsonValueKind.Object)
                    {
                        return VerificationTimes.Malformed;
                    }

                    var properties = entry.EnumerateObject().ToList();
                    var methods = properties.Where(static p => p.Name == "method").ToList();
                    var timestamps = properties.Where(static p => p.Name == "timestamp").ToList();
                    if (methods.Count != 1 || methods[0].Value.ValueKind != JsonValueKind.String
                        || timestamps.Count != 1 || timestamps[0].Value.ValueKind != JsonValueKind.Number
                        || !TryUnix(timestamps[0].Value.GetRawText(), out var timestamp)
                        || properties.Any(static p => p.Value.ValueKind is not (JsonValueKind.String or JsonValueKind.Number)))
                    {
                        return VerificationTimes.Malformed;
                    }

                    var method = methods[0].Value.GetString()!;
                    if (secondMethods.Contains(method))
                    {
                        second = Math.Max(second, timestamp);
                    }
                    else if (firstMethods.Contains(method))
                    {
                        first = Math.Max(first, timestamp);
                    }
                }
            }
            catch (JsonException)
            {
                return VerificationTimes.Malformed;
            }
        }

        return VerificationTimes.Found(
            first < 0 ? null : DateTimeOffset.FromUnixTimeSeconds(first),
            second < 0 ? null : DateTimeOffset.FromUnixTimeSeconds(second));
    }
}
