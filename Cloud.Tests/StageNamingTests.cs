namespace ShelfAgent.Cloud.Tests;

public sealed class StageNamingTests
{
    [Theory]
    [InlineData("")]
    [InlineData("Prod")]
    [InlineData("pre-prod")]
    [InlineData("1dev")]
    [InlineData("averyveryverylongstage")]
    public void Rejects_stage_when_it_would_make_invalid_resource_names(string stage)
    {
        var error = Assert.Throws<ArgumentException>(() => new StageNaming(stage));
        Assert.Contains("stage", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Derives_iot_safe_names_when_stage_is_valid()
    {
        var naming = new StageNaming("prod2");
        Assert.Equal("shelfagent_prod2_telemetry", naming.Rule("telemetry"));
        Assert.Equal("ShelfAgent-prod2", naming.ProvisioningTemplate);
        Assert.Matches("^[0-9A-Za-z_-]{1,36}$", naming.ProvisioningTemplate);
        Assert.Equal("ShelfAgentRotate-prod2", naming.RotationTemplate);
        Assert.Matches("^[0-9A-Za-z_-]{1,36}$", new StageNaming("abcdefghijkl").RotationTemplate);
        Assert.Equal("shelfagent_prod2", naming.GlueDatabase);
    }
}
