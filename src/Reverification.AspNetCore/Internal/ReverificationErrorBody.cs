using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Reverification.AspNetCore.Internal;

/// <summary>
/// The contract's body:
/// <c>{"clerk_error":{"type":"forbidden","reason":"reverification-error","metadata":{"reverification":...}}}</c>,
/// where the metadata is a preset's name or <c>{"level":"second_factor","afterMinutes":5}</c>. Bodies are built once
/// per level.
/// </summary>
internal static class ReverificationErrorBody
{
    public const string ContentType = "application/json";

    /// <summary>
    /// How many levels' bodies are kept. An app has a few levels, but inline levels can be created at run time
    /// (<c>ReverificationResults.Required(ReverificationLevel.Create(...))</c>), so the cache is bounded.
    /// </summary>
    internal const int MaxCachedLevels = 256;

    private static readonly ConcurrentDictionary<ReverificationLevel, byte[]> s_bodies = new();

    public static byte[] Get(ReverificationLevel level) => GetOrCreate(s_bodies, level, Create);

    /// <summary>A bounded <c>GetOrAdd</c>: past <see cref="MaxCachedLevels"/> entries, values are made and not kept.</summary>
    internal static T GetOrCreate<T>(ConcurrentDictionary<ReverificationLevel, T> cache, ReverificationLevel level, Func<ReverificationLevel, T> create)
    {
        if (cache.TryGetValue(level, out var value))
        {
            return value;
        }

        value = create(level);
        if (cache.Count < MaxCachedLevels)
        {
            cache.TryAdd(level, value);
        }

        return value;
    }

    public static Task WriteAsync(HttpResponse response, ReverificationLevel level, CancellationToken cancellationToken)
    {
        response.ContentType = ContentType;
        var body = Get(level);
        response.ContentLength = body.Length;
        return response.Body.WriteAsync(body, 0, body.Length, cancellationToken);
    }

    internal static byte[] Create(ReverificationLevel level)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(160);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("clerk_error");
            writer.WriteString("type", "forbidden");
            writer.WriteString("reason", "reverification-error");
            writer.WriteStartObject("metadata");
            if (level.IsPreset)
            {
                writer.WriteString("reverification", level.Name);
            }
            else
            {
                writer.WriteStartObject("reverification");
                writer.WriteString("level", ReverificationLevel.FactorsToString(level.Factors));
                writer.WriteNumber("afterMinutes", level.MaxAgeMinutes);
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
