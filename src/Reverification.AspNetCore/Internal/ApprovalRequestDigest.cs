using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Reverification.AspNetCore.Internal;

/// <summary>
/// What a request approves, digested once per request and kept as a feature: SHA-256 over the method, path base and
/// path, query string, and either the body bytes or the bound JSON fields, each length-prefixed so that no two
/// different requests share an input. The body is read into a pooled buffer (at most the configured size), and the
/// request then reads it from that buffer; the buffer goes back to the pool when the response completes.
/// </summary>
internal sealed class ApprovalRequestDigest : IDisposable
{
    public const int DigestLength = 32;

    // Domain separation, so that a digest of this format can never equal another use of SHA-256 in the app.
    private static ReadOnlySpan<byte> Prefix => "reverification-approval/v1"u8;

    // The hash object is used only in synchronous code (the body is fully read first), so one per thread is safe.
    [ThreadStatic]
    private static IncrementalHash? t_hash;

    private static readonly IReadOnlyDictionary<string, JsonElement> NoFields = new Dictionary<string, JsonElement>();

    private byte[]? _buffer;
    private JsonDocument? _document;

    private ApprovalRequestDigest()
    {
    }

    public byte[] Digest { get; } = new byte[DigestLength];

    public ApprovalProblem Problem { get; private set; }

    public string? ProblemDetail { get; private set; }

    /// <summary>The bound fields, for the summary.</summary>
    public IReadOnlyDictionary<string, JsonElement> Fields { get; private set; } = NoFields;

    /// <summary>The request's digest, computed on first use.</summary>
    public static async ValueTask<ApprovalRequestDigest> GetAsync(HttpContext context, RequireApprovalAttribute settings, int maxBodyBytes)
    {
        if (context.Features.Get<ApprovalRequestDigest>() is { } existing)
        {
            return existing;
        }

        var digest = new ApprovalRequestDigest();
        context.Features.Set(digest);
        context.Response.RegisterForDispose(digest);
        await digest.ComputeAsync(context, settings, maxBodyBytes).ConfigureAwait(false);
        return digest;
    }

    private async ValueTask ComputeAsync(HttpContext context, RequireApprovalAttribute settings, int maxBodyBytes)
    {
        var request = context.Request;
        if (request.ContentLength > maxBodyBytes)
        {
            Refuse(ApprovalProblem.BodyTooLarge, $"The body is larger than {maxBodyBytes} bytes, the most an approval binds.");
            return;
        }

        // The input is one buffer: the request line's parts (length-prefixed, so that no two requests share an input),
        // a mode byte, then the body, read in place after them. One SHA-256 call over it: no copy, one native call.
        var method = request.Method;
        var pathBase = request.PathBase.Value ?? string.Empty;
        var path = request.Path.Value ?? string.Empty;
        var query = request.QueryString.Value ?? string.Empty;
        var headerLength = Prefix.Length + (4 * 4) + 1
            + Encoding.UTF8.GetByteCount(method) + Encoding.UTF8.GetByteCount(pathBase)
            + Encoding.UTF8.GetByteCount(path) + Encoding.UTF8.GetByteCount(query);

        var length = await ReadBodyAsync(request, maxBodyBytes, headerLength, context.RequestAborted).ConfigureAwait(false);
        if (length > maxBodyBytes)
        {
            Refuse(ApprovalProblem.BodyTooLarge, $"The body is larger than {maxBodyBytes} bytes, the most an approval binds.");
            return;
        }

        var buffer = _buffer!;
        var body = new ReadOnlyMemory<byte>(buffer, headerLength, length);

        // The app's handler reads the same bytes after authorization.
        request.Body = new MemoryStream(buffer, headerLength, length, writable: false);

        if (settings.Fields is { } fields && !TryReadFields(body, fields))
        {
            return;
        }

        var header = buffer.AsSpan(0, headerLength);
        Prefix.CopyTo(header);
        var position = Prefix.Length;
        WriteString(header, ref position, method);
        WriteString(header, ref position, pathBase);
        WriteString(header, ref position, path);
        WriteString(header, ref position, query);
        header[position] = settings.Fields is null ? (byte)0 : (byte)1;

        if (settings.Fields is not { } named)
        {
            SHA256.HashData(buffer.AsSpan(0, headerLength + length), Digest);
            return;
        }

        // Named fields instead of the body: rarer, hashed piece by piece. Every value is read before the shared hash is
        // touched: a value that cannot be read (a lone surrogate in a string) must neither throw nor leave a
        // half-fed hash behind for the next request on this thread.
        var values = new (int Kind, string? Text)[named.Length];
        for (var i = 0; i < named.Length; i++)
        {
            if (!Fields.TryGetValue(named[i], out var value))
            {
                values[i] = (-1, null); // Missing: bound as missing.
                continue;
            }

            if (!TryReadText(value, out var text))
            {
                Refuse(ApprovalProblem.InvalidBody, $"The field '{named[i]}' is not valid JSON text (a lone surrogate in a string?).");
                return;
            }

            values[i] = ((int)value.ValueKind, text);
        }

        var hash = t_hash ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(header);
        for (var i = 0; i < named.Length; i++)
        {
            AppendString(hash, named[i].ToUpperInvariant());
            AppendLength(hash, values[i].Kind);
            if (values[i].Kind >= 0)
            {
                AppendString(hash, values[i].Text);
            }
        }

        hash.GetHashAndReset(Digest);
    }

    private static void WriteString(Span<byte> destination, ref int position, string value)
    {
        var written = Encoding.UTF8.GetBytes(value, destination[(position + 4)..]);
        BinaryPrimitives.WriteInt32LittleEndian(destination[position..], written);
        position += 4 + written;
    }

    /// <summary>Reads the body into a pooled buffer after <paramref name="offset"/> bytes; returns its length (one past the limit: too large).</summary>
    private async ValueTask<int> ReadBodyAsync(HttpRequest request, int maxBodyBytes, int offset, CancellationToken cancellationToken)
    {
        // One byte more than allowed tells "too large" apart from "exactly the limit".
        var limit = maxBodyBytes + 1;
        var initial = request.ContentLength is { } declared ? (int)Math.Min(declared + 1, limit) : Math.Min(4096, limit);
        var buffer = ArrayPool<byte>.Shared.Rent(offset + Math.Max(initial, 16));
        _buffer = buffer;
        var length = 0;
        while (length < limit)
        {
            if (offset + length == buffer.Length)
            {
                var larger = ArrayPool<byte>.Shared.Rent(offset + Math.Min(Math.Max(length * 2, 4096), limit));
                buffer.AsSpan(offset, length).CopyTo(larger.AsSpan(offset));
                ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
                buffer = larger;
                _buffer = buffer;
            }

            var room = Math.Min(buffer.Length - offset, limit) - length;
            var read = await request.Body.ReadAsync(buffer.AsMemory(offset + length, room), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            length += read;
        }

        return length;
    }

    private bool TryReadFields(ReadOnlyMemory<byte> body, string[] names)
    {
        try
        {
            // No property twice at any depth: a nested {"iban":"A","iban":"B"} could be read either way by the app's binder.
            _document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 64, AllowDuplicateProperties = false });
        }
        catch (JsonException)
        {
            Refuse(ApprovalProblem.InvalidBody, "The body must be a JSON object: this endpoint's approval binds the fields " + string.Join(", ", names) + ".");
            return false;
        }

        if (_document.RootElement.ValueKind != JsonValueKind.Object)
        {
            Refuse(ApprovalProblem.InvalidBody, "The body must be a JSON object: this endpoint's approval binds the fields " + string.Join(", ", names) + ".");
            return false;
        }

        var found = new Dictionary<string, JsonElement>(names.Length, StringComparer.OrdinalIgnoreCase);
        foreach (var property in _document.RootElement.EnumerateObject())
        {
            foreach (var name in names)
            {
                if (!string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                // {"amount":1,"Amount":1000}: which one the app binds depends on its serializer; refuse both.
                if (!found.TryAdd(name, property.Value))
                {
                    Refuse(ApprovalProblem.InvalidBody, $"The body gives the field '{name}' more than once.");
                    return false;
                }
            }
        }

        Fields = found;
        return true;
    }

    /// <summary>The text a field is bound by: strings by their value (escapes do not matter), everything else by its JSON text, so 25 and 25.0 differ (refused).</summary>
    private static bool TryReadText(JsonElement element, out string? text)
    {
        try
        {
            text = element.ValueKind == JsonValueKind.String ? element.GetString() : element.GetRawText();
            return true;
        }
        catch (InvalidOperationException)
        {
            // "\uD800": valid JSON, not a valid string.
            text = null;
            return false;
        }
    }

    private static void AppendLength(IncrementalHash hash, int length)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, length);
        hash.AppendData(bytes);
    }

    private static void AppendString(IncrementalHash hash, string? value)
    {
        value ??= string.Empty;
        var max = Encoding.UTF8.GetMaxByteCount(value.Length);
        byte[]? rented = null;
        var bytes = max <= 256 ? stackalloc byte[256] : (rented = ArrayPool<byte>.Shared.Rent(max));
        var written = Encoding.UTF8.GetBytes(value, bytes);
        AppendLength(hash, written);
        hash.AppendData(bytes[..written]);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private void Refuse(ApprovalProblem problem, string detail)
    {
        Problem = problem;
        ProblemDetail = detail;
    }

    public void Dispose()
    {
        _document?.Dispose();
        _document = null;
        if (_buffer is { } buffer)
        {
            _buffer = null;
            ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
        }
    }
}
