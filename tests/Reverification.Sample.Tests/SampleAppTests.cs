namespace Reverification.Sample.Tests;

/// <summary>The tests that share one running sample; they run one after another (they move its clock).</summary>
[CollectionDefinition(Name)]
public sealed class SampleAppTests : ICollectionFixture<SampleAppFixture>
{
    public const string Name = "Sample app";
}
