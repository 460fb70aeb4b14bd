namespace Reverification.Sample.Client.Components;

/// <summary>A line of feedback under an action.</summary>
public sealed record StatusMessage(string Text, string Kind)
{
    public static StatusMessage Success(string text) => new(text, "success");

    public static StatusMessage Failure(string text) => new(text, "error");

    public static StatusMessage Working() => new("Working…", "working");
}
