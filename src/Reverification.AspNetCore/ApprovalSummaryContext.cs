using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Reverification.AspNetCore;

/// <summary>
/// What <see cref="RequireApprovalAttribute.SummaryFactory"/> receives to describe the operation to approve.
/// </summary>
public sealed class ApprovalSummaryContext
{
    private readonly IReadOnlyDictionary<string, JsonElement> _fields;

    internal ApprovalSummaryContext(HttpContext httpContext, IReadOnlyDictionary<string, JsonElement> fields)
    {
        HttpContext = httpContext;
        _fields = fields;
    }

    /// <summary>The request. Its body can be read again (it was buffered for the digest).</summary>
    public HttpContext HttpContext { get; }

    /// <summary>
    /// The value of a field named in <see cref="RequireApprovalAttribute.Fields"/> (case-insensitive), as the body
    /// carries it. Valid during the call only.
    /// </summary>
    /// <param name="name">The field's name.</param>
    /// <param name="value">Its value, when the body has it.</param>
    /// <returns>Whether the body has the field.</returns>
    public bool TryGetField(string name, out JsonElement value) => _fields.TryGetValue(name, out value);
}
