using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;

namespace Reverification.Identity.Internal;

/// <summary>
/// Reads an endpoint's JSON body: <c>Content-Type: application/json</c> only (a cross-site HTML form cannot send it
/// without a CORS preflight), at most <see cref="MaxBytes"/>, well-formed, an object.
/// </summary>
internal static class JsonBody
{
    /// <summary>The largest body accepted: a passkey assertion is a few kilobytes.</summary>
    public const int MaxBytes = 32 * 1024;

    public static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpContext context, JsonTypeInfo<T> typeInfo)
        where T : class
    {
        if (!context.Request.HasJsonContentType())
        {
            return (null, IdentityReverificationProblems.InvalidRequest(
                "Send the body as JSON, with Content-Type: application/json.", StatusCodes.Status415UnsupportedMediaType));
        }

        if (context.Request.ContentLength > MaxBytes)
        {
            return (null, TooLarge());
        }

        // Read whole (at most one byte more than allowed, to tell "too large"), then parsed at once.
        var buffer = ArrayPool<byte>.Shared.Rent(MaxBytes + 1);
        try
        {
            var length = 0;
            int read;
            while (length <= MaxBytes && (read = await context.Request.Body.ReadAsync(buffer.AsMemory(length, MaxBytes + 1 - length), context.RequestAborted).ConfigureAwait(false)) > 0)
            {
                length += read;
            }

            if (length > MaxBytes)
            {
                return (null, TooLarge());
            }

            T? value;
            try
            {
                value = length == 0 ? null : JsonSerializer.Deserialize(buffer.AsSpan(0, length), typeInfo);
            }
            catch (JsonException)
            {
                return (null, IdentityReverificationProblems.InvalidRequest("The body is not valid JSON for this endpoint (malformed, a field of the wrong type, or a field given twice)."));
            }

            return value is null
                ? (null, IdentityReverificationProblems.InvalidRequest("The body must be a JSON object."))
                : (value, null);
        }
        finally
        {
            // The body may hold a password.
            ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
        }
    }

    private static IResult TooLarge() => IdentityReverificationProblems.InvalidRequest(
        $"The body is larger than {MaxBytes} bytes.", StatusCodes.Status413PayloadTooLarge);
}
