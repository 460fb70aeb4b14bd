using System.Net;
using System.Text;
using System.Text.Json;
using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Reverification.Identity.Tests.Infrastructure;

namespace Reverification.Identity.Tests;

/// <summary>
/// The verification endpoints' optional <c>approvalId</c>: a successful verification approves the signed-in user's
/// one-time approval; a wrong answer approves nothing; another user's id is refused before anything is attempted.
/// </summary>
public class ApprovalVerificationTests
{
    private const string Header = "Reverification-Approval";
    private const string Body = "{\"amount\":\"10.00\",\"payee\":\"Carol\"}";

    public static TheoryData<IdentityTestMode> Modes() => [IdentityTestMode.Cookie, IdentityTestMode.Bearer];

    private static Task<IdentityTestApp> StartAsync(IdentityTestMode mode = IdentityTestMode.Cookie, IdentityTestDatabase? database = null)
        => IdentityTestApp.StartAsync(mode, database, endpoints: app =>
        {
            app.MapPost("/pay", () => "paid").RequireApproval("strict", "Pay 10.00 EUR to Carol");
            app.MapPost("/pay-mfa", () => "paid").RequireApproval("strict_mfa", "Pay 10.00 EUR to Carol");
        });

    private static Task<HttpResponseMessage> PayAsync(TestSession session, string path = "/pay", string? approvalId = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(Body, Encoding.UTF8, "application/json") };
        if (approvalId is not null)
        {
            request.Headers.Add(Header, approvalId);
        }

        return session.SendAsync(request);
    }

    private static async Task<string> ApprovalIdAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var approval = json.RootElement.GetProperty("clerk_error").GetProperty("metadata").GetProperty("approval");
        Assert.Equal("Pay 10.00 EUR to Carol", approval.GetProperty("summary").GetString());
        return approval.GetProperty("id").GetString()!;
    }

    private static string? State(HttpResponseMessage response)
        => response.Headers.TryGetValues("Reverification-Approval-State", out var values) ? values.Single() : null;

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Password_RightWithApprovalId_ApprovesOnce(IdentityTestMode mode)
    {
        await using var app = await StartAsync(mode);
        using var session = await app.SignInAsync(app.PasswordOnly);

        // Signed in a moment ago: a fresh verification alone does not pass.
        var id = await ApprovalIdAsync(await PayAsync(session));

        var verified = await app.ReverifyAsync(session, "password", new { password = app.PasswordOnly.Password, approvalId = id });
        Assert.True(verified.IsSuccessStatusCode, await verified.Content.ReadAsStringAsync());
        Assert.Equal("approved", State(verified));

        var retry = await PayAsync(session, approvalId: id);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.NotEqual(id, await ApprovalIdAsync(await PayAsync(session, approvalId: id)));
    }

    [Fact]
    public async Task Password_WrongWithApprovalId_ApprovesNothing()
    {
        await using var app = await StartAsync();
        using var session = await app.SignInAsync(app.PasswordOnly);
        var id = await ApprovalIdAsync(await PayAsync(session));

        var wrong = await app.ReverifyAsync(session, "password", new { password = "wrong-password", approvalId = id });
        Assert.Equal("wrong", (await Problem.ReadAsync(wrong)).Reason);
        Assert.Null(State(wrong));

        await ApprovalIdAsync(await PayAsync(session, approvalId: id));
    }

    [Fact]
    public async Task ApprovalSubjectNotTheIdentityUser_IsRefusedBeforeAnAttempt()
    {
        // A principal whose sub names someone else than its Identity user id (a user claim in the store, which
        // Identity's principal factory copies): the approval is bound to the sub, the factors verified would be the
        // Identity user's.
        await using var app = await StartAsync();
        await app.WithUserAsync(app.PasswordOnly, (users, user) => users.AddClaimAsync(user, new Claim("sub", "someone-else")));
        using var session = await app.SignInAsync(app.PasswordOnly);
        var id = await ApprovalIdAsync(await PayAsync(session));

        var verified = await app.ReverifyAsync(session, "password", new { password = app.PasswordOnly.Password, approvalId = id });
        Assert.Equal("approval_refused", (await Problem.ReadAsync(verified)).Reason);
        await ApprovalIdAsync(await PayAsync(session, approvalId: id));
    }

    [Fact]
    public async Task AnotherUsersApprovalId_IsRefusedBeforeAnAttempt()
    {
        await using var app = await StartAsync();
        using var owner = await app.SignInAsync(app.PasswordOnly);
        var id = await ApprovalIdAsync(await PayAsync(owner));

        using var other = await app.SignInAsync(app.TwoFactor, app.Code(app.TwoFactor));
        var refused = await app.ReverifyAsync(other, "password", new { password = app.TwoFactor.Password, approvalId = id });
        Assert.Equal("approval_refused", (await Problem.ReadAsync(refused)).Reason);
        await ApprovalIdAsync(await PayAsync(other, approvalId: id));

        // The owner can still approve and use it.
        var verified = await app.ReverifyAsync(owner, "password", new { password = app.PasswordOnly.Password, approvalId = id });
        Assert.Equal("approved", State(verified));
        Assert.Equal(HttpStatusCode.OK, (await PayAsync(owner, approvalId: id)).StatusCode);
    }

    [Theory]
    [InlineData("not-an-id")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task ApprovalId_MalformedOrUnknown_IsRefused(string id)
    {
        await using var app = await StartAsync();
        using var session = await app.SignInAsync(app.PasswordOnly);
        var response = await app.ReverifyAsync(session, "password", new { password = app.PasswordOnly.Password, approvalId = id });
        var problem = await Problem.ReadAsync(response);
        Assert.Equal(HttpStatusCode.BadRequest, problem.Status);
        Assert.Contains(problem.Reason, new[] { "invalid_request", "approval_refused" });
        Assert.Equal(0, await app.AccessFailedCountAsync(app.PasswordOnly));
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task TwoFactorUser_PasswordLeavesItPending_TheCodeApproves(IdentityTestMode mode)
    {
        await using var app = await StartAsync(mode);
        using var session = await app.SignInAsync(app.TwoFactor, app.Code(app.TwoFactor));
        app.Time.Advance(TimeSpan.FromSeconds(30));
        var id = await ApprovalIdAsync(await PayAsync(session));

        var password = await app.ReverifyAsync(session, "password", new { password = app.TwoFactor.Password, approvalId = id });
        Assert.True(password.IsSuccessStatusCode, await password.Content.ReadAsStringAsync());
        Assert.Equal("pending", State(password));
        await ApprovalIdAsync(await PayAsync(session, approvalId: id));

        // The refused retry above consumed nothing pending: the code approves the same id.
        var code = await app.ReverifyAsync(session, "authenticator", new { code = app.Code(app.TwoFactor), approvalId = id });
        Assert.Equal("approved", State(code));
        Assert.Equal(HttpStatusCode.OK, (await PayAsync(session, approvalId: id)).StatusCode);
    }

    [Fact]
    public async Task StrictMfa_PasswordThenCode_Approves_CodeAloneDoesNot()
    {
        await using var app = await StartAsync();
        using var session = await app.SignInAsync(app.TwoFactor, app.Code(app.TwoFactor));
        app.Time.Advance(TimeSpan.FromSeconds(30));

        var first = await ApprovalIdAsync(await PayAsync(session, "/pay-mfa"));
        // The code alone: the password was verified before this approval was issued, so it does not count.
        var code = await app.ReverifyAsync(session, "authenticator", new { code = app.Code(app.TwoFactor), approvalId = first });
        Assert.Equal("pending", State(code));

        app.Time.Advance(TimeSpan.FromSeconds(30));
        var password = await app.ReverifyAsync(session, "password", new { password = app.TwoFactor.Password, approvalId = first });
        Assert.Equal("pending", State(password));
        app.Time.Advance(TimeSpan.FromSeconds(30));
        var second = await app.ReverifyAsync(session, "authenticator", new { code = app.Code(app.TwoFactor), approvalId = first });
        Assert.Equal("approved", State(second));
        Assert.Equal(HttpStatusCode.OK, (await PayAsync(session, "/pay-mfa", first)).StatusCode);
    }
}
