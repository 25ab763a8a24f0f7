using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace ShelfAgent.Cloud.Tests.Releases;

/// <summary>
/// The start of a canary (Lambda/release-canary.js) under node, S3, IoT and EventBridge faked at their package boundary and
/// KMS by a fake that really signs (<see cref="SigningKms"/>): an approval gives signed per-store artifacts the agent's
/// check accepts, jobs for the canary's stores, rollout.json and the notice; a second delivery, a release without metrics
/// or an approval of another release gives none of it.
/// </summary>
public sealed class ReleaseCanaryFunctionTests : IDisposable
{
    private const string Template = "arn:aws:iot:eu-west-1:111122223333:jobtemplate/ShelfAgentProfilesUpdate-test";
    private const string KeyArn = "arn:aws:kms:eu-west-1:111122223333:key/0b1c2d3e-aaaa-bbbb-cccc-111122223333";
    private const string Release = "r-2";

    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly NodeLambda _canary = new NodeLambda(LambdaSource.ReleaseCanary, "client-s3", "client-iot", "client-eventbridge")
        .WithPackage("client-kms", SigningKms.Code);

    public void Dispose()
    {
        _canary.Dispose();
        _key.Dispose();
    }

    private static Dictionary<string, string> Env(double share) => new()
    {
        ["BUCKET"] = "models-bucket",
        ["KEY_ID"] = KeyArn,
        ["TEMPLATE_ARN"] = Template,
        ["STORE_ATTRIBUTE"] = "storeId",
        ["CANARY_SHARE"] = share.ToString(CultureInfo.InvariantCulture),
        ["SOURCE"] = "shelfagent.releases",
    };

    private static JsonObject Approved(string key = "releases/r-2/approval.json") => new()
    {
        ["source"] = "aws.s3",
        ["detail-type"] = "Object Created",
        ["time"] = "2026-12-07T10:00:00Z",
        ["detail"] = new JsonObject
        {
            ["bucket"] = new JsonObject { ["name"] = "models-bucket" },
            ["object"] = new JsonObject { ["key"] = key },
        },
    };

    private static string Stores(int count) => string.Join(',', Enumerable.Range(0, count).Select(i => $"store-{i:D2}"));

    /// <summary>Two profiles per store, as JSON lines in the compact form both jq -c and JSON.stringify write.</summary>
    private static string[] ProfileLines(string stores) => stores.Split(',').SelectMany(s => new[]
    {
        $$"""{"schema":"shelf.profile.v1","store":"{{s}}","thing":"shelf-{{s}}","slot":"A1","picksPerHour":[0.5,1.25],"source":"blend","weeks":4}""",
        $$"""{"schema":"shelf.profile.v1","store":"{{s}}","thing":"shelf-{{s}}","slot":"A2","picksPerHour":[2,0],"source":"sales","weeks":0}""",
    }).ToArray();

    private static JsonObject Body(string text) => new() { ["body"] = text };

    private static JsonObject Missing() => new() { ["error"] = "NoSuchKey" };

    /// <summary>The release's records in the order the function reads them, then the other releases' rollout.json.</summary>
    private JsonObject Fakes(string stores, JsonObject? rollout = null, string approvalRelease = Release, bool metrics = true, string? verdict = null,
        string? r3 = null)
    {
        var jsonl = string.Join('\n', ProfileLines(stores)) + "\n";
        var sha = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(jsonl)));
        var reads = new JsonArray(
            rollout is null ? Missing() : Body(rollout.ToJsonString()),
            Body(new JsonObject
            {
                ["release"] = approvalRelease,
                ["approvedBy"] = new JsonObject { ["name"] = "carol", ["profile"] = "ml-engineer" },
                ["verdict"] = verdict ?? "not worse: recall@30 80% vs 75%",
                ["overrideReason"] = null,
            }.ToJsonString()),
            metrics ? Body($$"""{"release":"{{Release}}","against":"r-1"}""") : Missing(),
            Body(new JsonObject { ["id"] = Release, ["profilesSha256"] = sha }.ToJsonString()),
            Body(jsonl),
            Body("""{"release":"r-1","previous":"r-0","state":"promoted","started":"2026-11-20T09:00:00Z","decided":"2026-11-23T02:30:00Z"}"""),
            Body("""{"release":"r-0","previous":null,"state":"promoted","started":"2026-11-01T09:00:00Z","decided":"2026-11-04T02:30:00Z"}"""),
            Body(r3 ?? """{"release":"r-3","previous":"r-1","state":"rolled-back","started":"2026-11-25T09:00:00Z","decided":"2026-11-28T02:30:00Z"}"""));
        var prefixes = new[] { "releases/r-0/", "releases/r-1/", "releases/r-2/", "releases/r-3/" };
        return new JsonObject
        {
            ["GetObjectCommand"] = reads,
            ["ListObjectsV2Command"] = new JsonObject
            {
                ["result"] = new JsonObject
                {
                    ["CommonPrefixes"] = new JsonArray(prefixes.Select(p => (JsonNode)new JsonObject { ["Prefix"] = p }).ToArray()),
                },
            },
            ["KmsPrivateKeyHex"] = Convert.ToHexStringLower(_key.ExportParameters(true).D!),
            ["ListThingsCommand"] = new JsonObject
            {
                ["result"] = new JsonObject
                {
                    ["things"] = new JsonArray(new JsonObject { ["thingArn"] = "arn:aws:iot:eu-west-1:111122223333:thing/shelf-01" }),
                },
            },
            ["CreateJobCommand"] = new JsonObject { ["result"] = new JsonObject() },
            ["PutObjectCommand"] = new JsonObject { ["result"] = new JsonObject() },
            ["PutEventsCommand"] = new JsonObject { ["result"] = new JsonObject() },
        };
    }

    private static List<JsonNode> Calls(NodeLambda.Invocation run, string command) =>
        run.Calls.Where(c => c!["command"]!.GetValue<string>() == command).Select(c => c!["input"]!).ToList();

    /// <summary>The canary as local-lake's Canary picks it: stores by SHA-256 of "release/store", the first ceil(n × share), 1 … n − 1.</summary>
    private static List<string> ExpectedCanary(string stores, double share)
    {
        var list = stores.Split(',');
        var take = Math.Clamp((int)Math.Ceiling(list.Length * share), 1, Math.Max(1, list.Length - 1));
        var chosen = list.OrderBy(s => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Release + "/" + s))), StringComparer.Ordinal)
            .Take(take).ToHashSet();
        return list.Where(chosen.Contains).ToList();
    }

    [Fact]
    public async Task Approval_starts_the_canary_with_signed_artifacts_for_every_store_and_jobs_for_the_canary_stores()
    {
        var stores = Stores(5);
        var run = await _canary.InvokeAsync(Approved(), Env(0.3), Fakes(stores));

        Assert.Null(run.Error);
        var canary = ExpectedCanary(stores, 0.3);
        Assert.Equal(2, canary.Count);
        var puts = Calls(run, "PutObjectCommand");
        var lines = ProfileLines(stores);
        foreach (var store in stores.Split(','))
        {
            var artifact = Assert.Single(puts, p => p["Key"]!.GetValue<string>() == $"profiles/r-2/{store}.json")["Body"]!.GetValue<string>();
            var expected = $$"""{"schema":"shelf.profile.release.v1","release":"r-2","store":"{{store}}","profiles":[""" +
                string.Join(',', lines.Where(l => l.Contains($"\"{store}\"", StringComparison.Ordinal))) + "]}";
            Assert.Equal(expected, artifact);
            var signature = Assert.Single(puts, p => p["Key"]!.GetValue<string>() == $"profiles/r-2/{store}.json.sig")["Body"]!.GetValue<string>();
            await AssertSignedByKeyAsync(artifact, signature);
        }

        var signs = Calls(run, "SignCommand");
        Assert.Equal(5, signs.Count);
        Assert.All(signs, s =>
        {
            Assert.Equal(KeyArn, s["KeyId"]!.GetValue<string>());
            Assert.Equal("DIGEST", s["MessageType"]!.GetValue<string>());
            Assert.Equal("ECDSA_SHA_256", s["SigningAlgorithm"]!.GetValue<string>());
        });

        var jobs = Calls(run, "CreateJobCommand");
        Assert.Equal(canary.Select(s => $"profiles-r-2-{s}-canary"), jobs.Select(j => j["jobId"]!.GetValue<string>()));
        Assert.Equal(canary, Calls(run, "ListThingsCommand").Select(c => c["attributeValue"]!.GetValue<string>()));
        foreach (var job in jobs)
        {
            Assert.Equal(Template, job["jobTemplateArn"]!.GetValue<string>());
            var document = JsonNode.Parse(job["document"]!.GetValue<string>())!;
            var store = job["jobId"]!.GetValue<string>()["profiles-r-2-".Length..^"-canary".Length];
            var artifact = puts.Single(p => p["Key"]!.GetValue<string>() == $"profiles/r-2/{store}.json")["Body"]!.GetValue<string>();
            var bytes = Encoding.UTF8.GetBytes(artifact);
            Assert.Equal(["operation", "release", "url", "size", "sha256", "signature"], document.AsObject().Select(p => p.Key));
            Assert.Equal("profiles-update", document["operation"]!.GetValue<string>());
            Assert.Equal("r-2", document["release"]!.GetValue<string>());
            Assert.Equal($"${{aws:iot:s3-presigned-url:https://models-bucket.s3.amazonaws.com/profiles/r-2/{store}.json}}",
                document["url"]!.GetValue<string>());
            Assert.Equal(bytes.Length, document["size"]!.GetValue<int>());
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), document["sha256"]!.GetValue<string>());
            await AssertSignedByKeyAsync(artifact, document["signature"]!.GetValue<string>());
        }

        var saved = puts.Last();
        Assert.Equal("releases/r-2/rollout.json", saved["Key"]!.GetValue<string>());
        Assert.Equal("*", saved["IfNoneMatch"]!.GetValue<string>());
        var rollout = JsonNode.Parse(saved["Body"]!.GetValue<string>())!;
        Assert.Equal("r-2", rollout["release"]!.GetValue<string>());
        Assert.Equal("r-1", rollout["previous"]!.GetValue<string>());
        Assert.Equal("canary", rollout["state"]!.GetValue<string>());
        Assert.Equal(canary, rollout["canary"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal(stores.Split(',').Except(canary), rollout["rest"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal("2026-12-07T10:00:00.000Z", rollout["started"]!.GetValue<string>());

        var notice = Assert.Single(Calls(run, "PutEventsCommand"))["Entries"]![0]!;
        Assert.Equal("shelfagent.releases", notice["Source"]!.GetValue<string>());
        Assert.Equal("Profile release canary started", notice["DetailType"]!.GetValue<string>());
        Assert.Equal("r-1", JsonNode.Parse(notice["Detail"]!.GetValue<string>())!["previous"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(1, 0.1, 1)]
    [InlineData(2, 0.9, 1)]
    [InlineData(10, 0.1, 1)]
    [InlineData(11, 0.1, 2)]
    [InlineData(4, 0.5, 2)]
    public async Task Canary_takes_the_share_of_the_stores_at_least_one_and_leaves_one_for_the_rest_when_there_are_two(int count, double share, int expected)
    {
        var stores = Stores(count);
        var run = await _canary.InvokeAsync(Approved(), Env(share), Fakes(stores));

        Assert.Null(run.Error);
        var rollout = JsonNode.Parse(Calls(run, "PutObjectCommand").Last()["Body"]!.GetValue<string>())!;
        var canary = rollout["canary"]!.AsArray().Select(s => s!.GetValue<string>()).ToList();
        Assert.Equal(expected, canary.Count);
        Assert.Equal(ExpectedCanary(stores, share), canary);
        Assert.Equal(count - expected, rollout["rest"]!.AsArray().Count);
    }

    [Fact]
    public async Task Second_delivery_of_the_approval_does_nothing_when_rollout_json_exists()
    {
        var rollout = new JsonObject { ["release"] = Release, ["state"] = "canary" };
        var run = await _canary.InvokeAsync(Approved(), Env(0.1), Fakes(Stores(3), rollout));

        Assert.Null(run.Error);
        Assert.Equal(["releases/r-2/rollout.json"], Calls(run, "GetObjectCommand").Select(c => c["Key"]!.GetValue<string>()));
        Assert.Empty(Calls(run, "SignCommand"));
        Assert.Empty(Calls(run, "PutObjectCommand"));
        Assert.Empty(Calls(run, "CreateJobCommand"));
        Assert.Empty(Calls(run, "PutEventsCommand"));
    }

    [Fact]
    public async Task Retried_delivery_goes_on_past_canary_jobs_created_before_and_writes_rollout_json()
    {
        var fakes = Fakes(Stores(3));
        fakes["CreateJobCommand"] = new JsonObject { ["error"] = "ResourceAlreadyExistsException" };
        var run = await _canary.InvokeAsync(Approved(), Env(0.1), fakes);

        Assert.Null(run.Error);
        Assert.Equal("profiles-r-2-" + ExpectedCanary(Stores(3), 0.1).Single() + "-canary",
            Assert.Single(Calls(run, "CreateJobCommand"))["jobId"]!.GetValue<string>());
        Assert.Equal("releases/r-2/rollout.json", Calls(run, "PutObjectCommand").Last()["Key"]!.GetValue<string>());
        Assert.Single(Calls(run, "PutEventsCommand"));
    }

    [Fact]
    public async Task Concurrent_delivery_that_wrote_rollout_json_first_leaves_no_second_notice()
    {
        var fakes = Fakes(Stores(3));
        var puts = new JsonArray(Enumerable.Range(0, 6).Select(_ => (JsonNode)new JsonObject { ["result"] = new JsonObject() }).ToArray());
        puts.Add(new JsonObject { ["error"] = "PreconditionFailed" });
        fakes["PutObjectCommand"] = puts;
        var run = await _canary.InvokeAsync(Approved(), Env(0.1), fakes);

        Assert.Null(run.Error);
        Assert.Equal("*", Calls(run, "PutObjectCommand").Last()["IfNoneMatch"]!.GetValue<string>());
        Assert.Empty(Calls(run, "PutEventsCommand"));
    }

    [Fact]
    public async Task Release_without_metrics_is_refused_with_a_log_line_and_a_notice()
    {
        var run = await _canary.InvokeAsync(Approved(), Env(0.1), Fakes(Stores(3), metrics: false));

        Assert.Null(run.Error);
        AssertRefused(run, "proposal/metrics.json is missing");
    }

    [Fact]
    public async Task Approval_of_another_release_is_refused()
    {
        var run = await _canary.InvokeAsync(Approved(), Env(0.1), Fakes(Stores(3), approvalRelease: "r-9"));

        Assert.Null(run.Error);
        AssertRefused(run, "approval.json does not name release r-2");
    }

    [Fact]
    public async Task Approval_of_a_worse_release_without_an_override_reason_is_refused()
    {
        var run = await _canary.InvokeAsync(Approved(), Env(0.1), Fakes(Stores(3), verdict: "worse: recall@30 fell; recall@30 40% vs 80%"));

        Assert.Null(run.Error);
        AssertRefused(run, "worse verdict and no overrideReason");
    }

    [Fact]
    public async Task Other_keys_of_the_bucket_are_ignored()
    {
        var run = await _canary.InvokeAsync(Approved("releases/r-2/proposal/metrics.json"), Env(0.1), Fakes(Stores(3)));

        Assert.Null(run.Error);
        Assert.Empty(run.Calls);
    }

    [Fact]
    public async Task Approval_while_another_release_is_on_its_canary_is_queued_with_a_notice_and_nothing_written()
    {
        var onCanary = """{"release":"r-3","previous":"r-1","state":"canary","canary":["store-00"],"rest":["store-01"],"started":"2026-12-06T09:00:00Z"}""";
        var run = await _canary.InvokeAsync(Approved(), Env(0.3), Fakes(Stores(5), r3: onCanary));

        Assert.Null(run.Error);
        Assert.Equal("r-3", run.Result!["queued"]!.GetValue<string>());
        Assert.Empty(Calls(run, "SignCommand"));
        Assert.Empty(Calls(run, "PutObjectCommand"));
        Assert.Empty(Calls(run, "ListThingsCommand"));
        Assert.Empty(Calls(run, "CreateJobCommand"));
        Assert.Single(run.Log.Split('\n'), l => l.Contains("\"queued\"", StringComparison.Ordinal));
        var notice = Assert.Single(Calls(run, "PutEventsCommand"))["Entries"]![0]!;
        Assert.Equal(ShelfAgent.Cloud.Releases.ReleaseCanary.Queued, notice["DetailType"]!.GetValue<string>());
        var detail = JsonNode.Parse(notice["Detail"]!.GetValue<string>())!;
        Assert.Equal("r-2", detail["release"]!.GetValue<string>());
        Assert.Equal("r-3", detail["onCanary"]!.GetValue<string>());
        Assert.Contains("r-3 is on its canary", detail["reason"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Queued_release_started_by_the_watch_names_the_release_it_just_promoted_as_previous()
    {
        // The watch promoted r-3 (on its canary since 12-01) on 12-04 and hands the waiting r-2 to this function.
        using var watch = ReleaseWatchFunctionTests.NewWatch();
        var decided = await watch.InvokeAsync(new JsonObject { ["time"] = "2026-12-04T09:30:00Z" }, ReleaseWatchFunctionTests.Env,
            ReleaseWatchFunctionTests.QueueFakes(("r-2", "2026-12-02T10:00:00Z")));
        Assert.Null(decided.Error);
        var invoke = Assert.Single(decided.Calls, c => c!["command"]!.GetValue<string>() == "InvokeCommand")!["input"]!;
        var evt = JsonNode.Parse(invoke["Payload"]!.GetValue<string>())!;

        var promoted = """{"release":"r-3","previous":"r-1","state":"promoted","started":"2026-12-01T09:00:00Z","decided":"2026-12-04T09:30:00Z"}""";
        var run = await _canary.InvokeAsync(evt, Env(0.3), Fakes(Stores(5), r3: promoted));

        Assert.Null(run.Error);
        Assert.Equal("releases/r-2/rollout.json", Calls(run, "GetObjectCommand")[0]["Key"]!.GetValue<string>());
        var rollout = JsonNode.Parse(Calls(run, "PutObjectCommand").Last()["Body"]!.GetValue<string>())!;
        Assert.Equal("canary", rollout["state"]!.GetValue<string>());
        Assert.Equal("r-3", rollout["previous"]!.GetValue<string>());
        Assert.Equal("2026-12-04T09:30:00.000Z", rollout["started"]!.GetValue<string>());
        Assert.Equal(ExpectedCanary(Stores(5), 0.3).Count, Calls(run, "CreateJobCommand").Count);
    }

    [Fact]
    public async Task Refused_approval_with_nothing_on_canary_hands_on_to_the_next_waiting_approval_not_an_older_one()
    {
        var fakes = Fakes(Stores(3));
        var reads = new JsonArray(
            Missing(),
            Body("""{"release":"r-9","at":"2026-12-02T10:00:00Z"}"""),
            // The scan: r-1 promoted, r-3 waiting since before r-2, r-4 waiting since after it.
            Body("""{"release":"r-1","previous":null,"state":"promoted","started":"2026-11-20T09:00:00Z","decided":"2026-11-23T02:30:00Z"}"""),
            Missing(),
            Body("""{"release":"r-3","at":"2026-12-01T10:00:00Z"}"""),
            Missing(),
            Body("""{"release":"r-4","at":"2026-12-03T10:00:00Z"}"""),
            // r-4's own run: started meanwhile.
            Body("""{"release":"r-4","state":"canary"}"""));
        fakes["GetObjectCommand"] = reads;
        fakes["ListObjectsV2Command"] = new JsonObject
        {
            ["result"] = new JsonObject
            {
                ["CommonPrefixes"] = new JsonArray(new[] { "r-1", "r-2", "r-3", "r-4" }
                    .Select(r => (JsonNode)new JsonObject { ["Prefix"] = $"releases/{r}/" }).ToArray()),
            },
        };
        var run = await _canary.InvokeAsync(Approved(), Env(0.1), fakes);

        Assert.Null(run.Error);
        Assert.Equal("approval.json does not name release r-2", run.Result!["refused"]!.GetValue<string>());
        Assert.Equal("r-4", run.Result["next"]!["release"]!.GetValue<string>());
        Assert.Equal("releases/r-4/rollout.json", Calls(run, "GetObjectCommand").Last()["Key"]!.GetValue<string>());
        Assert.Empty(Calls(run, "PutObjectCommand"));
    }

    private static void AssertRefused(NodeLambda.Invocation run, string reason)
    {
        Assert.Contains("\"refused\"", run.Log, StringComparison.Ordinal);
        Assert.Contains(reason, run.Log, StringComparison.Ordinal);
        var notice = Assert.Single(Calls(run, "PutEventsCommand"))["Entries"]![0]!;
        Assert.Equal("Profile release canary refused", notice["DetailType"]!.GetValue<string>());
        Assert.Contains(reason, JsonNode.Parse(notice["Detail"]!.GetValue<string>())!["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(Calls(run, "SignCommand"));
        Assert.Empty(Calls(run, "PutObjectCommand"));
        Assert.Empty(Calls(run, "CreateJobCommand"));
    }

    /// <summary>
    /// The signature checks out as the agent checks it (ArtifactVerifier/TrustedKey: the DER ECDSA signature over the file's
    /// SHA-256) and as node's crypto checks it with the public key alone.
    /// </summary>
    private async Task AssertSignedByKeyAsync(string artifact, string signatureBase64)
    {
        var bytes = Encoding.UTF8.GetBytes(artifact);
        var signature = Convert.FromBase64String(signatureBase64.Trim());
        Assert.Equal(0x30, signature[0]);
        using var verifier = ECDsa.Create();
        verifier.ImportSubjectPublicKeyInfo(_key.ExportSubjectPublicKeyInfo(), out _);
        Assert.True(verifier.VerifyHash(SHA256.HashData(bytes), signature, DSASignatureFormat.Rfc3279DerSequence), "agent's check");

        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-e");
        start.ArgumentList.Add("const c=require('crypto'),e=process.env;" +
                               "process.stdout.write(String(c.verify('sha256',Buffer.from(e.BODY,'base64'),e.KEY,Buffer.from(e.SIG,'base64'))));");
        // A PEM on the command line would read as an option (it starts with "-").
        start.Environment["KEY"] = _key.ExportSubjectPublicKeyInfoPem();
        start.Environment["BODY"] = Convert.ToBase64String(bytes);
        start.Environment["SIG"] = signatureBase64.Trim();
        using var node = Process.Start(start)!;
        var output = await node.StandardOutput.ReadToEndAsync();
        var error = await node.StandardError.ReadToEndAsync();
        await node.WaitForExitAsync();
        Assert.True(output == "true", "node crypto.verify: " + output + error);
    }
}
