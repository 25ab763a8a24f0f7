using System.Text;
using ShelfAgent.IotCore;

namespace ShelfAgent.Tests.IotCore;

public sealed class AwsIotReplyReaderTests
{
    [Fact]
    public void Error_reads_fleet_provisioning_fields()
    {
        var error = AwsIotReplyReader.Error("""{"statusCode":400,"errorCode":"InvalidCSR","errorMessage":"The CSR is invalid"}"""u8);
        Assert.Equal(new AwsIotError(400, "InvalidCSR", "The CSR is invalid"), error);
        Assert.Equal("statusCode 400, errorCode InvalidCSR: The CSR is invalid", error.ToString());
    }

    [Fact]
    public void Error_reads_a_numeric_shadow_code_as_status()
    {
        var error = AwsIotReplyReader.Error("""{"code":409,"message":"Version conflict","clientToken":"t1","timestamp":1}"""u8);
        Assert.Equal(new AwsIotError(409, null, "Version conflict"), error);
    }

    [Fact]
    public void Error_reads_a_string_jobs_code_as_error_code()
    {
        var error = AwsIotReplyReader.Error("""{"clientToken":"t","code":"VersionMismatch","message":"stale","executionState":{"status":"IN_PROGRESS"}}"""u8);
        Assert.Equal(new AwsIotError(null, "VersionMismatch", "stale"), error);
    }

    [Fact]
    public void ClientToken_ignores_nested_tokens()
    {
        Assert.Null(AwsIotReplyReader.ClientToken("""{"state":{"clientToken":"inner"},"version":3}"""u8));
        Assert.Equal("outer", AwsIotReplyReader.ClientToken("""{"state":{"clientToken":"inner"},"clientToken":"outer"}"""u8));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("{\"clientToken\":")]
    public void Reader_returns_nothing_when_payload_is_not_an_object(string payload)
    {
        var bytes = Encoding.UTF8.GetBytes(payload);
        Assert.Null(AwsIotReplyReader.ClientToken(bytes));
        Assert.Equal(new AwsIotError(null, null, null), AwsIotReplyReader.Error(bytes));
    }
}
