using Reverification.Sample.Client.Api;

namespace Reverification.Sample.Client.Services;

/// <summary>
/// The signed-in user's access token and account, kept in the browser's memory only (a reload signs out).
/// </summary>
public sealed class SessionState
{
    public string? AccessToken { get; private set; }

    public AccountView? Account { get; private set; }

    public bool IsSignedIn => AccessToken is not null;

    public event Action? Changed;

    public void SetToken(string accessToken)
    {
        AccessToken = accessToken;
        Changed?.Invoke();
    }

    public void SetAccount(AccountView account)
    {
        Account = account;
        Changed?.Invoke();
    }

    public void SignOut()
    {
        AccessToken = null;
        Account = null;
        Changed?.Invoke();
    }
}
