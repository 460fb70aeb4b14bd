using System.Security.Claims;
using System.Text.Json;
using Reverification.AspNetCore;

namespace Reverification.Fuzz;

/// <summary>Writes fuzzer inputs that the reader refuses as entries of the adversarial corpus (its JSON shape).</summary>
internal static class Export
{
    private static readonly JsonSerializerOptions s_options = new() { WriteIndented = true };

    public static string MalformedEntries(Target target, string directory, int limit)
    {
        var format = target.Name switch
        {
            "timestamps" => "Timestamps",
            "fva" => "ClerkFva",
            "oidc" => "OpenIdConnect",
            _ => "SupabaseAmr",
        };
        var entries = new List<object>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in Directory.GetFiles(directory).Order(StringComparer.Ordinal))
        {
            var claims = ClaimsInput.Decode(File.ReadAllBytes(file), target);
            var times = target.Reader.Read(new ClaimsPrincipal(new ClaimsIdentity(claims, "Bearer")));
            var key = string.Join('\n', claims.Select(static c => c.Type + "=" + c.Value));
            if (times.Status != VerificationClaimsStatus.Malformed || claims.Count == 0 || !seen.Add(key))
            {
                continue;
            }

            var id = Path.GetFileName(file).Split(',')[0].Replace("id:", string.Empty, StringComparison.Ordinal);
            entries.Add(new
            {
                id = $"fuzz/{target.Name}/{id}",
                format,
                level = "lax",
                claims = claims.Select(static c => new { type = c.Type, value = c.Value }).ToList(),
                expected = "deny",
                note = "afl-fuzz queue entry (reached new code); the reader refuses it",
            });
            if (entries.Count >= limit)
            {
                break;
            }
        }

        return JsonSerializer.Serialize(entries, s_options) + Environment.NewLine;
    }
}
