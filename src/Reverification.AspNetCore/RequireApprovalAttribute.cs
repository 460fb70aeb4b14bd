using Microsoft.AspNetCore.Authorization;
using Reverification.AspNetCore.Internal;

namespace Reverification.AspNetCore;

/// <summary>
/// Requires a one-time approval of this exact request at a reverification level: even a caller who verified a minute
/// ago must approve it, once.
/// </summary>
/// <remarks>
/// <para>
/// The first call gets the reverification answer (403) with an approval in its metadata
/// (<c>{"id","summary","expiresIn"}</c>). The approval is bound to the caller's subject and a digest of the method,
/// path, query and body bytes, or of the method, path, query and the JSON body fields named in <see cref="Fields"/>.
/// The user verifies with the level's factors and the approval's id (the Identity endpoints accept an
/// <c>approvalId</c>; apps with their own verification call
/// <see cref="ReverificationRecorder.ApproveAsync(System.Security.Claims.ClaimsPrincipal, string, ReverificationFactors, CancellationToken)"/>),
/// then retries with the header <c>Reverification-Approval: &lt;id&gt;</c>. That retry passes once; anything else gets
/// a fresh answer with a new approval. See docs/approvals.md.
/// </para>
/// <para>
/// The approval replaces the level's time window: the token's verification times are not checked, the approval's
/// lifetime (<see cref="ReverificationOptions.ApprovalLifetime"/>) is the window. It composes with other requirements
/// (all must pass). One endpoint carries at most one approval requirement; the app fails at start-up otherwise.
/// </para>
/// </remarks>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class RequireApprovalAttribute : Attribute, IAuthorizationRequirementData
{
    private readonly string _level;
    private IAuthorizationRequirement[]? _requirements;
    private string[]? _fields;

    /// <summary>
    /// Requires a one-time approval at the named level: a preset (<c>strict_mfa</c>, <c>strict</c>, <c>moderate</c>,
    /// <c>lax</c>) or one the app registered. The approval must be approved with that level's factors.
    /// </summary>
    /// <param name="level">The level's name.</param>
    /// <exception cref="ArgumentException"><paramref name="level"/> is null, empty or not a valid level name.</exception>
    public RequireApprovalAttribute(string level)
    {
        // Validates the name now, as RequireReverificationAttribute does.
        _ = new ReverificationRequirement(level);
        _level = level;
    }

    /// <summary>The level's name.</summary>
    public string LevelName => _level;

    /// <summary>
    /// The text the user approves, shown in the prompt (for example "Delete the project 'Apollo'"). Ignored when
    /// <see cref="SummaryFactory"/> is set. Default: none (clients show a generic text). At most 500 characters are sent.
    /// </summary>
    public string? Summary { get; init; }

    /// <summary>
    /// Computes the summary from the request, for example "Send 25.00 EUR to Carol" from the bound fields. Set it with
    /// <c>.RequireApproval(level, summary: context => ...)</c>; attributes cannot hold a delegate. Returning
    /// <see langword="null"/> or white space refuses the request (400, no approval): the user never approves an
    /// operation the summary could not describe.
    /// </summary>
    public Func<ApprovalSummaryContext, string?>? SummaryFactory { get; init; }

    /// <summary>
    /// Top-level fields of the JSON body that the approval binds instead of the body bytes (for example
    /// <c>["amount", "payee"]</c>): a change of any of them refuses the retry, other fields may change. Names are
    /// matched case-insensitively, as ASP.NET Core's JSON binding does; a body that names a bound field twice, is not
    /// a JSON object or is not JSON is refused (400). Method, path and query stay bound. Default: none (the whole body).
    /// </summary>
    public string[]? Fields
    {
        get => _fields;
        init
        {
            if (value is not null)
            {
                foreach (var name in value)
                {
                    if (string.IsNullOrEmpty(name))
                    {
                        throw new ArgumentException("An approval field name cannot be null or empty.", nameof(Fields));
                    }
                }

                if (value.Distinct(StringComparer.OrdinalIgnoreCase).Count() != value.Length)
                {
                    throw new ArgumentException("An approval field is named twice (names are compared case-insensitively).", nameof(Fields));
                }
            }

            _fields = value is { Length: > 0 } ? [.. value] : null;
        }
    }

    /// <inheritdoc />
    public IEnumerable<IAuthorizationRequirement> GetRequirements()
        => _requirements ??= [new ApprovalRequirement(_level, this)];
}
