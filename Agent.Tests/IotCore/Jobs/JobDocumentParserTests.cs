using System.Text.Json.Nodes;
using ShelfAgent.IotCore.Jobs;
using ShelfAgent.Security;

namespace ShelfAgent.Tests.IotCore.Jobs;

public sealed class JobDocumentParserTests
{
    public static TheoryData<string> Accepted => new()
    {
        """{"operation":"config-update","changes":{"Sampling":{"IntervalMs":500}}}""",
        """{"operation":"config-update","changes":{"Slots":{"A1":{"LowStockAt":3}}}}""",
        """{"operation":"rotate-certificate","templateName":"ShelfRotation"}""",
        """{"operation":"rotate-certificate","templateName":"ShelfRotation","parameters":{"SerialNumber":"X1"},"keyType":"rsa-2048"}""",
        """{"operation":"report-diagnostics"}""",
        """{"operation":"report-diagnostics","uploadUrl":"https://bucket.s3.amazonaws.com/d.json?X-Amz-Signature=abc","logLines":50}""",
        """{"operation":"upload-readings","uploadUrl":"https://b.s3.amazonaws.com/r?s=1","from":"2026-12-07T08:00:00Z","to":"2026-12-07T09:00:00Z"}""",
        """{"operation":"upload-readings","uploadUrl":"https://h/r","from":"2026-12-07T08:00:00+01:00","to":"2026-12-08T08:00:00Z","slots":["A1","B2"]}""",
        Update(""" "version":"1.4.0","url":"https://b.s3.amazonaws.com/a.tar.gz?X-Amz-Signature=1","size":12345,"sha256":"H","signature":"MEUCIQ==" """),
        Update(""" "version":"1.3.9-dev.4.ab12","url":"https://h/a","size":1,"sha256":"H","signature":"x","keyId":"0123456789abcdef","allowDowngrade":true """),
        Profiles(""" "release":"r-20261207-1","url":"https://b.s3.amazonaws.com/profiles/r-20261207-1/s-1.json?X-Amz-Signature=1","size":9,""" +
                 """ "sha256":"H","signature":"x" """),
        Profiles(""" "release":"r-1","url":"https://h/a","size":1,"sha256":"H","signature":"x","keyId":"0123456789abcdef" """),
    };

    /// <summary>A profiles-update document with these fields; H stands for a valid SHA-256.</summary>
    private static string Profiles(string fields) =>
        "{\"operation\":\"profiles-update\"," + fields.Trim().Replace("\"H\"", "\"" + Sha + "\"", StringComparison.Ordinal) + "}";

    /// <summary>An agent-update document with these fields; H stands for a valid SHA-256.</summary>
    private static string Update(string fields) =>
        "{\"operation\":\"agent-update\"," + fields.Trim().Replace("\"H\"", "\"" + Sha + "\"", StringComparison.Ordinal) + "}";

    private const string Sha = "abababababababababababababababababababababababababababababababab";

    public static TheoryData<string, string> Refused => new()
    {
        { """{"operation":"reboot"}""", "unknown operation 'reboot'" },
        { """{"changes":{}}""", "no \"operation\"" },
        { """{"operation":7}""", "no \"operation\"" },
        { """[1,2]""", "not a JSON object" },
        { """{"operation":"config-update"}""", "needs \"changes\"" },
        { """{"operation":"config-update","changes":{}}""", "needs \"changes\"" },
        { """{"operation":"config-update","changes":{"Sampling":{"IntervalMs":500}},"chnages":1}""", "unknown field 'chnages'" },
        { """{"operation":"rotate-certificate"}""", "templateName" },
        { """{"operation":"rotate-certificate","templateName":"bad name!"}""", "templateName" },
        { """{"operation":"rotate-certificate","templateName":"T","keyType":"dsa"}""", "keyType" },
        { """{"operation":"rotate-certificate","templateName":"T","parameters":{"n":1}}""", "parameter 'n' must be a string" },
        { """{"operation":"report-diagnostics","uploadUrl":"http://example.com/x"}""", "https://" },
        { """{"operation":"report-diagnostics","logLines":500}""", "logLines" },
        { """{"operation":"upload-readings","from":"2026-12-07T08:00:00Z","to":"2026-12-07T09:00:00Z"}""", "uploadUrl" },
        { """{"operation":"upload-readings","uploadUrl":"https://h/r","from":"2026-12-07T08:00:00Z"}""", "\"to\"" },
        { """{"operation":"upload-readings","uploadUrl":"https://h/r","from":"2026-12-07T08:00:00Z","to":"2026-12-07T09:00:00Z","slots":"A1"}""", "slots" },
        { Update(""" "version":"1.4.0","url":"http://h/a","size":1,"sha256":"H","signature":"x" """), "https://" },
        { Update(""" "version":"1.4.0","url":"https://h/a","size":0,"sha256":"H","signature":"x" """), "\"size\"" },
        { Update(""" "version":"1.4.0","url":"https://h/a","size":1,"sha256":"abc","signature":"x" """), "\"sha256\"" },
        { Update(""" "version":"../x","url":"https://h/a","size":1,"sha256":"H","signature":"x" """), "\"version\"" },
        { Update(""" "version":"1.4.0","url":"https://h/a","size":1,"sha256":"H" """), "\"signature\"" },
        { Update(""" "version":"1.4.0","url":"https://h/a","size":1,"sha256":"H","signature":"x","allowDowngrade":"yes" """), "allowDowngrade" },
        { Profiles(""" "url":"https://h/a","size":1,"sha256":"H","signature":"x" """), "profiles-update needs \"release\"" },
        { Profiles(""" "release":"../r","url":"https://h/a","size":1,"sha256":"H","signature":"x" """), "\"release\"" },
        { Profiles(""" "release":"r-1","url":"http://h/a","size":1,"sha256":"H","signature":"x" """), "profiles-update needs \"url\"" },
        { Profiles(""" "release":"r-1","url":"https://h/a","size":1,"sha256":"H" """), "Profiles:TrustedKeys" },
        { Profiles(""" "release":"r-1","url":"https://h/a","size":1,"sha256":"H","signature":"x","version":"1.0" """), "unknown field 'version'" },
    };

    [Theory]
    [MemberData(nameof(Accepted))]
    public void A_valid_document_of_each_operation_is_parsed(string json)
    {
        var parsed = JobDocumentParser.Parse(json);

        Assert.Null(parsed.Refusal);
        Assert.NotNull(parsed.Document);
        Assert.Equal(JsonNode.Parse(json)!["operation"]!.GetValue<string>(), parsed.Document.Operation);
    }

    [Theory]
    [MemberData(nameof(Refused))]
    public void An_invalid_or_unknown_document_is_refused_with_the_reason(string json, string reason)
    {
        var parsed = JobDocumentParser.Parse(json);

        Assert.Null(parsed.Document);
        Assert.Contains(reason, parsed.Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_operation_names_the_operations_the_agent_runs()
    {
        var refusal = JobDocumentParser.Parse("""{"operation":"reboot"}""").Refusal;

        Assert.Contains("config-update, rotate-certificate, report-diagnostics", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void Fields_are_read_into_the_document()
    {
        var rotate = Assert.IsType<RotateCertificateJob>(JobDocumentParser.Parse(
            """{"operation":"rotate-certificate","templateName":"Rot","parameters":{"a":"b"},"keyType":"rsa-2048"}""").Document);
        var report = Assert.IsType<ReportDiagnosticsJob>(JobDocumentParser.Parse(
            """{"operation":"report-diagnostics","uploadUrl":"https://h/x?sig=1","logLines":7}""").Document);
        var plain = Assert.IsType<ReportDiagnosticsJob>(JobDocumentParser.Parse("""{"operation":"report-diagnostics"}""").Document);
        var config = Assert.IsType<ConfigUpdateJob>(JobDocumentParser.Parse(
            """{"operation":"config-update","changes":{"Publish":{"IntervalMs":900}}}""").Document);

        Assert.Equal(("Rot", "b", KeyKind.Rsa2048), (rotate.TemplateName, rotate.Parameters["a"], rotate.Key));
        Assert.Equal(("h", 7), (report.UploadUrl!.Host, report.LogLines));
        Assert.Equal((null, ReportDiagnosticsJob.DefaultLogLines), (plain.UploadUrl, plain.LogLines));
        Assert.Equal(900, config.Changes["Publish"]!["IntervalMs"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("2026-12-07T09:00:00Z", "2026-12-07T08:00:00Z")]
    [InlineData("2026-12-07T08:00:00Z", "2028-01-08T08:00:00Z")]
    [InlineData("2026-12-07T08:00:00", "2026-12-07T09:00:00Z")]
    public void Upload_readings_refuses_a_window_that_ends_first_is_too_long_or_has_no_offset(string from, string to)
    {
        var parsed = JobDocumentParser.Parse($$"""{"operation":"upload-readings","uploadUrl":"https://h/r","from":"{{from}}","to":"{{to}}"}""");

        Assert.Null(parsed.Document);
        Assert.Contains("upload-readings", parsed.Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_schema_in_docs_accepts_what_the_parser_accepts_and_refuses_what_it_refuses()
    {
        Assert.Null(await JsonSchemaValidator.ValidateAsync("job-document.schema.json", ((IEnumerable<object[]>)Accepted).Select(row => (string)row[0])));
        foreach (var row in (IEnumerable<object[]>)Refused)
        {
            Assert.NotNull(await JsonSchemaValidator.ValidateAsync("job-document.schema.json", [(string)row[0]]));
        }
    }
}
