// The wire contract of reverification: every name and number the server (Reverification.AspNetCore) writes and the
// client (Reverification.Client, Reverification.Blazor) reads. It is compiled into each of those assemblies (linked
// from src/Shared, as aspnetcore does), so there is one source to change; the client tests read back what the server
// writes for every preset and an inline level, so the two sides cannot drift apart.
//
// ReverificationFactors is each package's own public enum (the same values 1, 2, 3); each project file aliases the
// name to its enum (<Using Include="..." Alias="ReverificationFactors" />).

namespace Reverification.Shared;

/// <summary>
/// The names and values server and client must agree on (see docs and the contract): levels, factors, the body of
/// the "reverification required" answer and its RFC 9470 <c>WWW-Authenticate</c> challenge.
/// </summary>
internal static class ReverificationProtocol
{
    /// <summary>The <c>strict_mfa</c> preset's name.</summary>
    public const string StrictMfaName = "strict_mfa";

    /// <summary>The <c>strict</c> preset's name.</summary>
    public const string StrictName = "strict";

    /// <summary>The <c>moderate</c> preset's name.</summary>
    public const string ModerateName = "moderate";

    /// <summary>The <c>lax</c> preset's name.</summary>
    public const string LaxName = "lax";

    /// <summary>
    /// The longest max age a level may have, in minutes: 366 days. The server refuses longer levels; the client reads a
    /// longer max age in an answer as this one.
    /// </summary>
    public const double MaxAllowedMaxAgeMinutes = 366 * 24 * 60;

    /// <summary>Both factors within 10 minutes.</summary>
    public static readonly Preset StrictMfa = new(StrictMfaName, ReverificationFactors.MultiFactor, 10);

    /// <summary>The second factor within 10 minutes.</summary>
    public static readonly Preset Strict = new(StrictName, ReverificationFactors.SecondFactor, 10);

    /// <summary>The second factor within 60 minutes.</summary>
    public static readonly Preset Moderate = new(ModerateName, ReverificationFactors.SecondFactor, 60);

    /// <summary>The second factor within 1440 minutes (24 hours).</summary>
    public static readonly Preset Lax = new(LaxName, ReverificationFactors.SecondFactor, 1440);

    /// <summary>Whether <paramref name="factors"/> is one of the three defined values.</summary>
    public static bool IsDefined(ReverificationFactors factors)
        => factors is ReverificationFactors.FirstFactor or ReverificationFactors.SecondFactor or ReverificationFactors.MultiFactor;

    /// <summary>The wire name of <paramref name="factors"/>: <c>first_factor</c>, <c>second_factor</c> or <c>multi_factor</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An undefined value.</exception>
    public static string FormatFactors(ReverificationFactors factors) => factors switch
    {
        ReverificationFactors.FirstFactor => Factors.FirstFactor,
        ReverificationFactors.SecondFactor => Factors.SecondFactor,
        ReverificationFactors.MultiFactor => Factors.MultiFactor,
        _ => throw new ArgumentOutOfRangeException(nameof(factors), factors, "Use FirstFactor, SecondFactor or MultiFactor."),
    };

    /// <summary>Reads a factors' wire name: ordinal, case-sensitive.</summary>
    public static bool TryParseFactors(string? value, out ReverificationFactors factors)
    {
        factors = value switch
        {
            Factors.FirstFactor => ReverificationFactors.FirstFactor,
            Factors.SecondFactor => ReverificationFactors.SecondFactor,
            Factors.MultiFactor => ReverificationFactors.MultiFactor,
            _ => default,
        };
        return factors != default;
    }

    /// <summary>A preset: its name, the factors it asks for and its max age in minutes.</summary>
    internal readonly record struct Preset(string Name, ReverificationFactors Factors, double MaxAgeMinutes);

    /// <summary>The wire names of the factors.</summary>
    internal static class Factors
    {
        public const string FirstFactor = "first_factor";
        public const string SecondFactor = "second_factor";
        public const string MultiFactor = "multi_factor";
    }

    /// <summary>
    /// The body: <c>{"clerk_error":{"type":"forbidden","reason":"reverification-error","metadata":{"reverification":L}}}</c>,
    /// where <c>L</c> is a preset's name or <c>{"level":"second_factor","afterMinutes":5}</c> (Clerk's field names).
    /// </summary>
    internal static class Body
    {
        public const string ClerkError = "clerk_error";
        public const string Type = "type";
        public const string Forbidden = "forbidden";
        public const string Reason = "reason";
        public const string ReverificationError = "reverification-error";
        public const string Metadata = "metadata";
        public const string Reverification = "reverification";
        public const string Level = "level";
        public const string AfterMinutes = "afterMinutes";
    }

    /// <summary>
    /// A one-time approval: <c>metadata.approval = {"id":"...","summary":"...","expiresIn":300}</c> beside
    /// <c>metadata.reverification</c> in the answer, and the retry's header <c>Reverification-Approval: &lt;id&gt;</c>.
    /// </summary>
    internal static class Approval
    {
        /// <summary>The retry's header.</summary>
        public const string Header = "Reverification-Approval";

        /// <summary>
        /// On a successful verification that named an approval: <see cref="Approved"/>, or <see cref="Pending"/> when the
        /// factors verified so far do not yet satisfy the approval's level; the verification is recorded either way.
        /// </summary>
        public const string StateHeader = "Reverification-Approval-State";

        public const string Approved = "approved";
        public const string Pending = "pending";

        /// <summary>The metadata field that holds the approval.</summary>
        public const string Field = "approval";

        public const string Id = "id";
        public const string Summary = "summary";
        public const string ExpiresIn = "expiresIn";

        /// <summary>The longest id a client accepts (the server's are 32 characters).</summary>
        public const int MaxIdLength = 128;

        /// <summary>The longest summary the server sends and a client shows.</summary>
        public const int MaxSummaryLength = 500;

        /// <summary>The longest lifetime a client believes, in seconds (one day).</summary>
        public const int MaxExpiresInSeconds = 24 * 60 * 60;
    }

    /// <summary>
    /// RFC 9470's challenge: <c>WWW-Authenticate: Bearer error="insufficient_user_authentication",
    /// error_description="...", max_age=600</c> (max age in whole seconds).
    /// </summary>
    internal static class Challenge
    {
        public const string Error = "error";
        public const string InsufficientUserAuthentication = "insufficient_user_authentication";
        public const string ErrorDescription = "error_description";
        public const string MaxAge = "max_age";
    }
}
