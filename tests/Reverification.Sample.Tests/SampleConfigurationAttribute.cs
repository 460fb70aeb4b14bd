namespace Reverification.Sample.Tests;

/// <summary>The build configuration, so the fixture runs the sample built with the same one.</summary>
[AttributeUsage(AttributeTargets.Assembly)]
public sealed class SampleConfigurationAttribute(string configuration) : Attribute
{
    public string Configuration { get; } = configuration;
}
