using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Mvc;
using Reverification.AspNetCore.Tests.Infrastructure;
using static Reverification.AspNetCore.Tests.Infrastructure.ApprovalClient;

namespace Reverification.AspNetCore.Tests.Approvals;

/// <summary>The attribute on a controller action: the same metadata and answers as the endpoint extension.</summary>
public class ApprovalControllerTests
{
    [Fact]
    public async Task ControllerAction_AttributeWithFields_ApprovesOnceAndBindsTheField()
    {
        await using var app = await TestApp.StartAsync(
            web => web.MapControllers(),
            services: s => s.AddTestControllers(typeof(ApprovalPayController)));
        var token = FreshToken(app);

        var (id, summary, _, level) = await ReadApprovalAsync(await PostAsync(app, "/mvc/approval-pay", token, "{\"amount\":\"10.00\",\"note\":\"a\"}"));
        Assert.Equal("Pay by MVC", summary);
        Assert.Equal("strict", level);
        await ApproveAsync(app, id);

        await ReadApprovalAsync(await PostAsync(app, "/mvc/approval-pay", token, "{\"amount\":\"99.00\",\"note\":\"a\"}", id));

        var (second, _, _, _) = await ReadApprovalAsync(await PostAsync(app, "/mvc/approval-pay", token, "{\"amount\":\"10.00\",\"note\":\"a\"}"));
        await ApproveAsync(app, second);
        var retry = await PostAsync(app, "/mvc/approval-pay", token, "{\"amount\":\"10.00\",\"note\":\"b\"}", second);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal("paid 10.00 (b)", await retry.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.SendAsync(HttpMethod.Post, "/mvc/approval-pay", null, Json("{}"))).StatusCode);
    }
}

[ApiController]
[Route("mvc/approval-pay")]
public sealed class ApprovalPayController : ControllerBase
{
    [HttpPost]
    [RequireApproval("strict", Summary = "Pay by MVC", Fields = new[] { "amount" })]
    public IActionResult Pay(ApprovalPayRequest request) => Content($"paid {request.Amount} ({request.Note})");
}

public sealed record ApprovalPayRequest(string Amount, string? Note);
