namespace Reverification.Blazor.Internal;

/// <summary>
/// How <c>send</c> calls the endpoints for an app on bearer tokens (<see cref="IReverificationFormAuthorization"/>):
/// the <c>Authorization</c> header, the fetch's <c>credentials</c> (<c>omit</c>; <c>same-origin</c> for the passkey
/// pair, whose challenge Identity keeps in a cookie), and the one other origin the app configured (an absolute
/// <see cref="ReverificationForm.EndpointPrefix"/>), or <see langword="null"/>: the page's origin only.
/// </summary>
internal sealed record EndpointRequestOptions(string? Authorization, string Credentials, string? Origin);
