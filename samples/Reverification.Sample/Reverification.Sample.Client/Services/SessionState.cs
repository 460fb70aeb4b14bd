using Reverification.Sample.Client.Api;

namespace Reverification.Sample.Client.Services;

/// <summary>
/// What the UI knows about the signed-in user: the account as the server last answered it, and the verification
/// methods it has. The session itself is Identity's application cookie (HttpOnly: the page never sees it), so a reload
/// keeps the user signed in, and <see cref="IsSignedIn"/> is known once the server has answered.
/// </summary>
public sealed class SessionState(TimeProvider clock)
{
    private long _accountReadAt;

    /// <summary>Whether the server has answered whether someone is signed in.</summary>
    public bool IsKnown { get; private set; }

    public AccountView? Account { get; private set; }

    public ReverifyMethods? Methods { get; private set; }

    public bool IsSignedIn => Account is not null;

    /// <summary>A message for the sign-in card, for example after the account was deleted.</summary>
    public string? Notice { get; private set; }

    public event Action? Changed;

    /// <summary>The server's time now, estimated from its time when the account was read plus the time elapsed here.</summary>
    public DateTimeOffset ServerNow
        => Account is { } account ? account.ServerTime + clock.GetElapsedTime(_accountReadAt) : clock.GetUtcNow();

    public void SetAccount(AccountView account)
    {
        Account = account;
        _accountReadAt = clock.GetTimestamp();
        IsKnown = true;
        Notice = null;
        Changed?.Invoke();
    }

    public void SetMethods(ReverifyMethods methods)
    {
        Methods = methods;
        Changed?.Invoke();
    }

    public void SignOut(string? notice = null)
    {
        Account = null;
        Methods = null;
        IsKnown = true;
        Notice = notice;
        Changed?.Invoke();
    }
}
