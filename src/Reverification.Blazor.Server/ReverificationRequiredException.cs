using Reverification.Client;

namespace Reverification.Blazor.Server;

/// <summary>
/// Thrown by a service called from a Blazor Server circuit when the circuit's user must verify again for what it was
/// asked to do (<see cref="CircuitReverification.EnsureAsync"/>). <see cref="ReverificationRunner.RunAsync(Func{Task}, CancellationToken)"/> catches
/// it, prompts, and runs the action once more.
/// </summary>
public sealed class ReverificationRequiredException : Exception
{
    /// <summary>Creates the exception for <see cref="ReverificationChallenge.Default"/>.</summary>
    public ReverificationRequiredException()
        : this(ReverificationChallenge.Default)
    {
    }

    /// <summary>Creates the exception with a message, for <see cref="ReverificationChallenge.Default"/>.</summary>
    /// <param name="message">The message.</param>
    public ReverificationRequiredException(string? message)
        : this(message, innerException: null)
    {
    }

    /// <summary>Creates the exception with a message and an inner exception, for <see cref="ReverificationChallenge.Default"/>.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public ReverificationRequiredException(string? message, Exception? innerException)
        : base(message ?? CreateMessage(ReverificationChallenge.Default), innerException)
    {
        Challenge = ReverificationChallenge.Default;
    }

    /// <summary>Creates the exception for what the user must verify.</summary>
    /// <param name="challenge">The factors and their max age.</param>
    public ReverificationRequiredException(ReverificationChallenge challenge)
        : base(CreateMessage(challenge ?? throw new ArgumentNullException(nameof(challenge))))
    {
        Challenge = challenge;
    }

    /// <summary>What the user must verify: the factors and their max age.</summary>
    public ReverificationChallenge Challenge { get; }

    private static string CreateMessage(ReverificationChallenge challenge)
        => $"The user must verify again ({challenge}). Run the call through ReverificationRunner.RunAsync to prompt and retry.";
}
