namespace Reverification.Client.Tests.Infrastructure;

/// <summary>An API that needs reverification until <see cref="Fresh"/> is set, as after the user reverified.</summary>
internal sealed class StepUpApi
{
    public volatile bool Fresh;

    public StepUpApi(Func<HttpResponseMessage>? denied = null)
        => Handler = new FakeInnerHandler(_ => Fresh ? Answers.Ok() : (denied ?? (() => Answers.Reverify()))());

    public FakeInnerHandler Handler { get; }
}
