using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Reverification.AspNetCore.Hardening.Tests.Corpus;

/// <summary>One claim of a corpus entry; <see cref="Value"/> may hold <c>{now}</c>, <c>{now-N}</c>, <c>{now+N}</c>.</summary>
public sealed record CorpusClaim(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("value")] string Value,
    [property: JsonPropertyName("valueType")] string? ValueType,
    [property: JsonPropertyName("identity")] string? Identity);

/// <summary>An entry of the adversarial corpus (Corpus/*.json, written by Corpus/generate_corpus.py).</summary>
public sealed record CorpusEntry(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("format")] VerificationClaimsFormat Format,
    [property: JsonPropertyName("level")] string Level,
    [property: JsonPropertyName("claims")] IReadOnlyList<CorpusClaim> Claims,
    [property: JsonPropertyName("expected")] string Expected,
    [property: JsonPropertyName("note")] string? Note)
{
    public bool ExpectPass => Expected == "pass";

    public override string ToString() => Id;

    /// <summary>The claim values with the templates resolved against <paramref name="now"/>.</summary>
    public IEnumerable<(CorpusClaim Claim, string Value)> Resolve(DateTimeOffset now)
        => Claims.Select(c => (c, CorpusFiles.ResolveTemplates(c.Value, now)));

    /// <summary>
    /// The principal: an unauthenticated identity (claims marked "unauthenticated"), the authenticated primary
    /// identity ("Bearer"), and a second authenticated identity ("Cookies") for claims marked "secondary".
    /// </summary>
    public ClaimsPrincipal CreatePrincipal(DateTimeOffset now)
    {
        var principal = new ClaimsPrincipal();
        var unauthenticated = Resolve(now).Where(static c => c.Claim.Identity == "unauthenticated").ToList();
        if (unauthenticated.Count > 0)
        {
            principal.AddIdentity(new ClaimsIdentity(unauthenticated.Select(ToClaim)));
        }

        principal.AddIdentity(new ClaimsIdentity(Resolve(now).Where(static c => c.Claim.Identity is null or "primary").Select(ToClaim), "Bearer"));
        var secondary = Resolve(now).Where(static c => c.Claim.Identity == "secondary").ToList();
        if (secondary.Count > 0)
        {
            principal.AddIdentity(new ClaimsIdentity(secondary.Select(ToClaim), "Cookies"));
        }

        return principal;
    }

    /// <summary>Whether every claim is on the primary identity (so the entry can travel in one JWT).</summary>
    public bool FitsInOneToken => Claims.All(static c => c.Identity is null or "primary");

    private static Claim ToClaim((CorpusClaim Claim, string Value) c) => new(c.Claim.Type, c.Value, c.Claim.ValueType ?? ClaimValueTypes.String);
}

public static partial class CorpusFiles
{
    private static readonly Lazy<IReadOnlyList<CorpusEntry>> s_all = new(Load);

    public static IReadOnlyList<CorpusEntry> All => s_all.Value;

    public static IEnumerable<CorpusEntry> Adversarial => All.Where(static e => !e.ExpectPass);

    public static IEnumerable<CorpusEntry> Controls => All.Where(static e => e.ExpectPass);

    /// <summary>Resolves <c>{now}</c>, <c>{now-N}</c>, <c>{now+N}</c> (Unix seconds) and <c>{U+XXXX}</c> (one UTF-16 code unit).</summary>
    public static string ResolveTemplates(string value, DateTimeOffset now)
    {
        if (value.Contains("{now", StringComparison.Ordinal))
        {
            value = Template().Replace(value, m => (now.ToUnixTimeSeconds() + (m.Groups[1].Success ? long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0)).ToString(CultureInfo.InvariantCulture));
        }

        if (value.Contains("{U+", StringComparison.Ordinal))
        {
            value = CodeUnit().Replace(value, m => ((char)int.Parse(m.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToString());
        }

        return value;
    }

    [GeneratedRegex(@"\{now([+-][0-9]+)?\}")]
    private static partial Regex Template();

    [GeneratedRegex(@"\{U\+([0-9A-F]{4})\}")]
    private static partial Regex CodeUnit();

    private static List<CorpusEntry> Load()
    {
        var options = new JsonSerializerOptions { Converters = { new JsonStringEnumConverter() } };
        var directory = Path.Combine(AppContext.BaseDirectory, "Corpus");
        var entries = new List<CorpusEntry>();
        foreach (var file in Directory.GetFiles(directory, "*.json").Order(StringComparer.Ordinal))
        {
            entries.AddRange(JsonSerializer.Deserialize<List<CorpusEntry>>(File.ReadAllText(file), options)!);
        }

        return entries;
    }
}
