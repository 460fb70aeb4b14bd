using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Reverification.Shared;
using Body = Reverification.Shared.ReverificationProtocol.Body;

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

    private static readonly BoundedLevelCache<byte[]> s_bodies = new(Create);

    public static byte[] Get(ReverificationLevel level) => s_bodies.Get(level);

    public static Task WriteAsync(HttpResponse response, ReverificationLevel level, CancellationToken cancellationToken)
    {
        response.ContentType = ContentType;
        var body = Get(level);
        response.ContentLength = body.Length;
        return response.Body.WriteAsync(body, 0, body.Length, cancellationToken);
    }

    /// <summary>The body with <c>metadata.approval = {"id","summary","expiresIn"}</c>, built per answer.</summary>
    public static Task WriteAsync(HttpResponse response, ReverificationLevel level, ReverificationApproval approval, long expiresIn, CancellationToken cancellationToken)
    {
        response.ContentType = ContentType;
        var body = Create(level, approval, expiresIn);
        response.ContentLength = body.Length;
        return response.Body.WriteAsync(body, 0, body.Length, cancellationToken);
    }

    internal static byte[] Create(ReverificationLevel level) => Create(level, null, 0);

    internal static byte[] Create(ReverificationLevel level, ReverificationApproval? approval, long expiresIn)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(approval is null ? 160 : 400);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartObject(Body.ClerkError);
            writer.WriteString(Body.Type, Body.Forbidden);
            writer.WriteString(Body.Reason, Body.ReverificationError);
            writer.WriteStartObject(Body.Metadata);
            if (level.IsPreset)
            {
                writer.WriteString(Body.Reverification, level.Name);
            }
            else
            {
                writer.WriteStartObject(Body.Reverification);
                writer.WriteString(Body.Level, ReverificationProtocol.FormatFactors(level.Factors));
                writer.WriteNumber(Body.AfterMinutes, level.MaxAgeMinutes);
                writer.WriteEndObject();
            }

            if (approval is not null)
            {
                writer.WriteStartObject(ReverificationProtocol.Approval.Field);
                writer.WriteString(ReverificationProtocol.Approval.Id, approval.Id);
                if (approval.Summary is { } summary)
                {
                    writer.WriteString(ReverificationProtocol.Approval.Summary, summary);
                }
                else
                {
                    writer.WriteNull(ReverificationProtocol.Approval.Summary);
                }

                writer.WriteNumber(ReverificationProtocol.Approval.ExpiresIn, expiresIn);
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
