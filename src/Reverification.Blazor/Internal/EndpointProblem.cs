using System.Globalization;
using System.Text.Json;

namespace Reverification.Blazor.Internal;

/// <summary>
/// An error answer of the Identity endpoints: RFC 9457 problem details with a <c>reason</c> (<c>wrong</c>,
/// <c>replayed</c>, <c>locked_out</c> with <c>lockoutEnd</c>, <c>rate_limited</c>, ...) and a <c>detail</c>.
/// </summary>
internal sealed record EndpointProblem(string? Reason, string? Detail, DateTimeOffset? LockoutEnd)
{
    /// <summary>Reads the body; an unreadable one gives a problem with no reason (never throws).</summary>
    public static EndpointProblem Parse(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return new EndpointProblem(null, null, null);
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return new EndpointProblem(null, null, null);
            }

            DateTimeOffset? lockoutEnd = String(root, "lockoutEnd") is { } end
                && DateTimeOffset.TryParse(end, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed)
                ? parsed
                : null;
            return new EndpointProblem(String(root, "reason"), String(root, "detail"), lockoutEnd);
        }
        catch (JsonException)
        {
            return new EndpointProblem(null, null, null);
        }
    }

    private static string? String(JsonElement root, string name)
        => root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
