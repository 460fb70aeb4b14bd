using System.Buffers;
using System.Security.Claims;
using System.Text;
using System.Text.Json;

namespace Reverification.AspNetCore.Internal;

/// <summary>
/// Supabase-style <c>amr</c>: an array of <c>{"method": "...", "timestamp": N}</c> objects (as one JSON-array claim,
/// or as one claim per object, the way ASP.NET Core's JWT handlers split arrays). The newest timestamp of each factor
/// group counts; methods in neither group are ignored; anything malformed denies.
/// </summary>
internal sealed class SupabaseAmrClaimsReader : IVerificationClaimsReader
{
    private const int MaxValueLength = 8192;
    private static readonly JsonReaderOptions s_readerOptions = new() { MaxDepth = 3 };

    private readonly byte[][] _firstFactorMethods;
    private readonly byte[][] _secondFactorMethods;

    public SupabaseAmrClaimsReader(IEnumerable<string> firstFactorMethods, IEnumerable<string> secondFactorMethods)
    {
        _firstFactorMethods = [.. firstFactorMethods.Select(Encoding.UTF8.GetBytes)];
        _secondFactorMethods = [.. secondFactorMethods.Select(Encoding.UTF8.GetBytes)];
    }

    public VerificationTimes Read(ClaimsIdentity identity)
    {
        var visitor = new Visitor(this);
        ClaimsWalker.Walk(identity, ref visitor);
        if (visitor.AmrCount == 0)
        {
            return VerificationTimes.Missing;
        }

        if (visitor.Malformed)
        {
            return VerificationTimes.MalformedClaim(OpenIdConnectClaimsReader.Amr);
        }

        return VerificationTimes.Found(
            visitor.First < 0 ? null : DateTimeOffset.FromUnixTimeSeconds(visitor.First),
            visitor.Second < 0 ? null : DateTimeOffset.FromUnixTimeSeconds(visitor.Second));
    }

    private struct Visitor(SupabaseAmrClaimsReader reader) : IClaimVisitor
    {
        public int AmrCount;
        public bool NestedArray;
        public bool Malformed;
        public long First = -1;
        public long Second = -1;

        public bool Visit(Claim claim)
        {
            var type = claim.Type;
            if (!OpenIdConnectClaimsReader.IsAmr(type))
            {
                return true;
            }

            AmrCount++;
            // An array typed JSON_ARRAY is the JWT handler's mark of an array nested in the array: the one-claim form
            // of the whole array only as the sole amr claim.
            NestedArray |= ClaimValueKind.IsNestedArray(claim);
            if (!reader.TryReadValue(claim.Value, ref First, ref Second) || (NestedArray && AmrCount > 1))
            {
                Malformed = true;
                return false;
            }

            return true;
        }
    }

    private bool TryReadValue(string value, ref long first, ref long second)
    {
        if (value.Length == 0 || value.Length > MaxValueLength)
        {
            return false;
        }

        byte[]? rented = null;
        var maxBytes = Encoding.UTF8.GetMaxByteCount(value.Length);
        var buffer = maxBytes <= 1024 ? stackalloc byte[1024] : (rented = ArrayPool<byte>.Shared.Rent(maxBytes));
        try
        {
            var length = Encoding.UTF8.GetBytes(value, buffer);
            var json = new Utf8JsonReader(buffer[..length], s_readerOptions);
            if (!json.Read())
            {
                return false;
            }

            bool ok;
            if (json.TokenType == JsonTokenType.StartArray)
            {
                ok = true;
                while (ok && json.Read() && json.TokenType != JsonTokenType.EndArray)
                {
                    ok = TryReadEntry(ref json, ref first, ref second);
                }

                ok &= json.TokenType == JsonTokenType.EndArray;
            }
            else
            {
                ok = TryReadEntry(ref json, ref first, ref second);
            }

            // Nothing may follow the value.
            return ok && !json.Read();
        }
        catch (JsonException)
        {
            return false;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Reads one <c>{"method": "...", "timestamp": N}</c> object; the reader is on its StartObject.</summary>
    private bool TryReadEntry(ref Utf8JsonReader json, ref long first, ref long second)
    {
        if (json.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        var group = 0; // 0: not seen, 1: first factor, 2: second factor, 3: not a verification method
        var timestamp = -1L;
        while (json.Read() && json.TokenType == JsonTokenType.PropertyName)
        {
            if (json.ValueTextEquals("method"u8))
            {
                if (group != 0 || !json.Read() || json.TokenType != JsonTokenType.String)
                {
                    return false;
                }

                group = Matches(ref json, _secondFactorMethods) ? 2 : Matches(ref json, _firstFactorMethods) ? 1 : 3;
            }
            else if (json.ValueTextEquals("timestamp"u8))
            {
                if (timestamp >= 0 || !json.Read() || json.TokenType != JsonTokenType.Number
                    || json.HasValueSequence
                    || !ClaimValueParser.TryParseUnixSeconds(json.ValueSpan, out timestamp))
                {
                    return false;
                }
            }
            else
            {
                // Other properties (Supabase writes "provider") may hold strings or numbers only.
                if (!json.Read() || json.TokenType is not (JsonTokenType.String or JsonTokenType.Number))
                {
                    return false;
                }
            }
        }

        if (json.TokenType != JsonTokenType.EndObject || group == 0 || timestamp < 0)
        {
            return false;
        }

        if (group == 1)
        {
            first = Math.Max(first, timestamp);
        }
        else if (group == 2)
        {
            second = Math.Max(second, timestamp);
        }

        return true;
    }

    private static bool Matches(ref Utf8JsonReader json, byte[][] methods)
    {
        foreach (var method in methods)
        {
            if (json.ValueTextEquals(method))
            {
                return true;
            }
        }

        return false;
    }
}
