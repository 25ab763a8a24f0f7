using ShelfAgent.Cli;

namespace ShelfAgent.Tests.Cli;

public sealed class TemplateParametersTests
{
    [Fact]
    public void Key_value_pairs_are_parsed_and_values_may_hold_equals_signs()
    {
        var (parameters, problems) = TemplateParameters.Parse(["ThingName=shelf-1", "Token=a=b", "Empty="]);

        Assert.Empty(problems);
        Assert.Equal("shelf-1", parameters["ThingName"]);
        Assert.Equal("a=b", parameters["Token"]);
        Assert.Equal("", parameters["Empty"]);
    }

    [Fact]
    public void Missing_equals_empty_key_and_repeats_are_problems()
    {
        var (_, problems) = TemplateParameters.Parse(["NoEquals", "=v", "A=1", "A=2"]);

        Assert.Equal(3, problems.Count);
        Assert.Contains(problems, p => p.Contains("\"NoEquals\"", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("A is given twice", StringComparison.Ordinal));
    }
}
