namespace Reverification.Sample.Client.Api;

// The JSON shapes shared by the sample's API (server project) and its UI (this project).

/// <summary>Sign-in with the first factor, and the second when the account has one.</summary>
public sealed record SignInRequest(string Email, string Password, string? Code);

/// <summary>The answer to a sign-in: a token, or a request for the authenticator code.</summary>
public sealed record SignInResponse(string Status, string? AccessToken, string? Message)
{
    public const string SignedIn = "signed_in";
    public const string TwoFactorRequired = "two_factor_required";
}

/// <summary>Reverify: the password (first factor), the authenticator code (second factor), or both.</summary>
public sealed record ReverifyRequest(string? Password, string? Code);

/// <summary>A new access token with fresh verification claims.</summary>
public sealed record TokenResponse(string AccessToken);

/// <summary>An error the UI shows as is.</summary>
public sealed record ApiError(string Error, string Message);

public sealed record TransferRequest(string To, decimal Amount);

public sealed record TransferView(int Id, string To, decimal Amount, DateTimeOffset CreatedAt);

public sealed record TransferResult(TransferView Transfer, decimal Balance);

public sealed record ProfileUpdate(string DisplayName);

public sealed record AccountView(
    string Email,
    string DisplayName,
    bool TwoFactorEnabled,
    decimal Balance,
    IReadOnlyList<TransferView> Transfers,
    DateTimeOffset ServerTime,
    DateTimeOffset? FirstFactorVerifiedAt,
    DateTimeOffset? SecondFactorVerifiedAt);

public sealed record MessageResponse(string Message);
