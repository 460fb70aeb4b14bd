using System.Security.Claims;
using System.Text;

namespace Reverification.Fuzz;

/// <summary>
/// Turns fuzzer bytes into claims: UTF-8 text, one claim per line, the first character choosing the claim type (see
/// <see cref="Target.ClaimTypes"/>), the rest being the value. Lines with an unknown selector become an unrelated claim.
/// </summary>
internal static class ClaimsInput
{
    public static List<Claim> Decode(ReadOnlySpan<byte> data, Target target)
    {
        var text = Encoding.UTF8.GetString(data);
        var claims = new List<Claim>();
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0)
            {
                continue;
            }

            var type = target.ClaimTypes.TryGetValue(line[0], out var t) ? t : "other";
            var value = line[1..].Replace("\\n", "\n", StringComparison.Ordinal);
            claims.Add(new Claim(type, value));
        }

        return claims;
    }
}
