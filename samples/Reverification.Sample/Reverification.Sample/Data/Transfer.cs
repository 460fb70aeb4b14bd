namespace Reverification.Sample.Data;

/// <summary>A money transfer the API recorded.</summary>
public sealed class Transfer
{
    public int Id { get; set; }

    public required string UserId { get; set; }

    public required string To { get; set; }

    public decimal Amount { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
