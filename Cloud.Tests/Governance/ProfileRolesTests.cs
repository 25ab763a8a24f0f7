using System.Text.RegularExpressions;
using ShelfAgent.Cloud.Governance;

namespace ShelfAgent.Cloud.Tests.Governance;

[Collection(CdkSynth.Name)]
public sealed partial class ProfileRolesTests(SynthFixture synth, FullSynthFixture full)
{
    private string RoleId(string profile) =>
        synth.OfType("AWS::IAM::Role")
            .Single(r => r.Value["Properties"]!["RoleName"]?.GetValue<string>() == $"shelfagent-test-{profile}").Key;

    /// <summary>(action, resource) pairs the profile's role is allowed.</summary>
    private List<(string Action, string Resource)> Access(string profile) =>
        synth.RoleStatements(RoleId(profile))
            .SelectMany(s => s.Actions.SelectMany(a => s.Resources.Select(r => (a, r))))
            .ToList();

    private string Bucket(string name) => "${" + synth.LogicalId("AWS::S3::Bucket", "LakeBuckets" + name) + ".Arn}";

    private bool Allows(string profile, string action, string resource) => Access(profile).Contains((action, resource));

    /// <summary>Which buckets a profile can read or write, worked out from the synthesized statements.</summary>
    private HashSet<string> BucketAccess(string profile)
    {
        var result = new HashSet<string>();
        foreach (var name in new[] { "Raw", "Curated", "AthenaResults", "ModelArtifacts" })
        {
            var objects = Bucket(name) + "/*";
            if (Allows(profile, "s3:GetObject", objects))
            {
                result.Add(name + ":read");
            }

            if (Allows(profile, "s3:PutObject", objects))
            {
                result.Add(name + ":write");
            }
        }

        return result;
    }

    public static TheoryData<string, string[]> ExpectedBuckets => new()
    {
        { ProfileMatrix.DataEngineer, ["Raw:read", "Raw:write", "Curated:read", "Curated:write", "AthenaResults:read", "AthenaResults:write"] },
        { ProfileMatrix.DataScientist, ["Curated:read", "AthenaResults:read", "AthenaResults:write"] },
        { ProfileMatrix.MlEngineer, ["Curated:read", "ModelArtifacts:read", "ModelArtifacts:write"] },
        { ProfileMatrix.StoreOperations, [] },
    };

    [Theory]
    [MemberData(nameof(ExpectedBuckets))]
    public void Profile_reaches_exactly_its_buckets_when_synthesized(string profile, string[] expected)
    {
        Assert.Equal(expected.Order(), BucketAccess(profile).Order());
    }

    [Fact]
    public void Data_scientist_cannot_touch_raw_or_change_curated_when_querying()
    {
        var access = Access(ProfileMatrix.DataScientist);
        Assert.DoesNotContain(access, a => a.Resource.StartsWith(Bucket("Raw"), StringComparison.Ordinal));
        Assert.DoesNotContain(access, a => a.Resource.StartsWith(Bucket("Curated"), StringComparison.Ordinal)
                                           && a.Action is "s3:PutObject" or "s3:DeleteObject");
        Assert.DoesNotContain(access, a => a.Action.StartsWith("glue:", StringComparison.Ordinal) && a.Resource.Contains("/raw_", StringComparison.Ordinal));
        Assert.Contains(access, a => a.Action == "athena:StartQueryExecution"
                                     && a.Resource == "arn:${AWS::Partition}:athena:${AWS::Region}:${AWS::AccountId}:workgroup/shelfagent-test");
    }

    [Fact]
    public void Ml_engineer_has_no_athena_and_no_raw_access_when_synthesized()
    {
        var access = Access(ProfileMatrix.MlEngineer);
        Assert.DoesNotContain(access, a => a.Action.StartsWith("athena:", StringComparison.Ordinal));
        Assert.DoesNotContain(access, a => a.Resource.StartsWith(Bucket("Raw"), StringComparison.Ordinal));
    }

    [Fact]
    public void Store_operations_subscribes_to_stock_outs_and_reads_the_dashboard_but_no_lake_data()
    {
        var access = Access(ProfileMatrix.StoreOperations);
        var topic = "${" + synth.LogicalId("AWS::SNS::Topic", "IngestStockOutAlerts") + "}";
        Assert.Contains(("sns:Subscribe", topic), access);
        Assert.Contains(("cloudwatch:GetDashboard", "arn:${AWS::Partition}:cloudwatch::${AWS::AccountId}:dashboard/ShelfAgent-test"), access);
        // The one S3 read it has: the releases' metrics and approvals (ReleaseMetricsRead), no lake bucket.
        Assert.All(access.Where(a => a.Action.StartsWith("s3:", StringComparison.Ordinal)), a =>
        {
            Assert.Equal("s3:GetObject", a.Action);
            Assert.StartsWith(Bucket("ModelArtifacts") + "/releases/*/", a.Resource, StringComparison.Ordinal);
        });
        Assert.DoesNotContain(access, a => a.Action.StartsWith("glue:", StringComparison.Ordinal)
                                           || a.Action.StartsWith("athena:", StringComparison.Ordinal));
        Assert.DoesNotContain(access, a => a.Action == "sns:Publish");
    }

    [Fact]
    public void Only_a_profile_that_may_approve_can_write_an_approval_when_synthesized()
    {
        var approval = Bucket("ModelArtifacts") + "/releases/*/approval.json";
        foreach (var profile in ProfileMatrix.Profiles.Keys)
        {
            var puts = Access(profile).Where(a => a.Action == "s3:PutObject").Select(a => a.Resource).ToList();
            var canApprove = puts.Contains(approval) || puts.Contains(Bucket("ModelArtifacts") + "/*");
            Assert.True(canApprove == ProfileMatrix.MayApproveRelease(profile), $"{profile}: approval write {canApprove}");
        }

        Assert.False(ProfileMatrix.MayApproveRelease(ProfileMatrix.DataScientist));
        Assert.True(ProfileMatrix.MayApproveRelease(ProfileMatrix.MlEngineer));
    }

    [Fact]
    public void Data_scientist_proposes_a_release_but_cannot_write_its_approval_when_synthesized()
    {
        var access = Access(ProfileMatrix.DataScientist);
        Assert.Contains(("s3:PutObject", Bucket("ModelArtifacts") + "/releases/*/proposal/*"), access);
        Assert.DoesNotContain(access, a => a.Action == "s3:PutObject" && a.Resource.EndsWith("approval.json", StringComparison.Ordinal));
    }

    [Fact]
    public void Only_cloudwatch_reads_use_a_star_resource_when_synthesized()
    {
        // CloudWatch GetMetricData/ListDashboards/DescribeAlarms and lakeformation:GetDataAccess have no resource-level permissions.
        foreach (var profile in ProfileMatrix.Profiles.Keys)
        {
            Assert.All(Access(profile).Where(a => a.Resource == "*"),
                a => Assert.Contains(a.Action,
                    new[] { "cloudwatch:GetMetricData", "cloudwatch:ListDashboards", "cloudwatch:DescribeAlarms", "lakeformation:GetDataAccess" }));
            Assert.DoesNotContain(Access(profile), a => a.Action.EndsWith(":*", StringComparison.Ordinal) || a.Action == "*");
        }
    }

    [Theory]
    [InlineData("data-engineer", true)]
    [InlineData("data-scientist", true)]
    [InlineData("ml-engineer", true)]
    [InlineData("store-operations", false)]
    public void Profiles_that_read_the_lake_may_get_lake_formation_credentials_when_governed(string profile, bool reads)
    {
        // Athena under Lake Formation reads S3 with credentials vended by GetDataAccess; without it every query is refused.
        Assert.Equal(reads, Access(profile).Contains(("lakeformation:GetDataAccess", "*")));
    }

    [Fact]
    public void Scheduled_query_roles_may_get_lake_formation_credentials_when_governed()
    {
        foreach (var fixture in new[] { synth, full.Synth })
        {
            var roles = fixture.OfType("AWS::Scheduler::Schedule")
                .Where(s => s.Value["Properties"]!["Target"]!["Arn"]!.ToString().StartsWith("arn:aws:scheduler:::aws-sdk:athena", StringComparison.Ordinal))
                .Select(s => SynthFixture.RoleIdOf(s.Value["Properties"]!["Target"]!["RoleArn"])).Distinct().ToList();
            Assert.NotEmpty(roles);
            Assert.All(roles, role => Assert.Contains(fixture.RoleStatements(role),
                st => st.Actions.Contains("lakeformation:GetDataAccess") && st.Resources.SequenceEqual(["*"])));
        }
    }

    [Fact]
    public void Each_firehose_waits_for_its_lake_formation_grants_when_first_deployed()
    {
        // Firehose checks its Glue access when the stream is created: before the grants exist, creation fails.
        var grants = synth.OfType("AWS::LakeFormation::PrincipalPermissions").ToList();
        var streams = synth.OfType("AWS::KinesisFirehose::DeliveryStream").Where(d => d.Key.StartsWith("Lake", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, streams.Count);
        foreach (var (id, stream) in streams)
        {
            var role = SynthFixture.RoleIdOf(stream["Properties"]!["ExtendedS3DestinationConfiguration"]!["RoleARN"]);
            var own = grants.Where(g => SynthFixture.RoleIdOf(g.Value["Properties"]!["Principal"]!["DataLakePrincipalIdentifier"]) == role)
                .Select(g => g.Key).ToList();
            Assert.Equal(2, own.Count);
            var dependsOn = stream["DependsOn"]!.AsArray().Select(d => d!.GetValue<string>()).ToList();
            Assert.All(own, grant => Assert.Contains(grant, dependsOn));
        }
    }

    [Fact]
    public void Lake_formation_grants_follow_the_matrix_when_synthesized()
    {
        var grants = synth.OfType("AWS::LakeFormation::PrincipalPermissions")
            .Select(g => g.Value["Properties"]!)
            .Where(p => p["Resource"]!["Table"] is not null)
            .Select(p => (
                Role: SynthFixture.RoleIdOf(p["Principal"]!["DataLakePrincipalIdentifier"]),
                Table: p["Resource"]!["Table"]!["Name"]!.GetValue<string>(),
                Permissions: string.Join(",", p["Permissions"]!.AsArray().Select(x => x!.GetValue<string>()))))
            .Where(g => g.Role.StartsWith("Profiles", StringComparison.Ordinal))
            .ToHashSet();

        string read = "SELECT,DESCRIBE", write = "SELECT,DESCRIBE,INSERT,DELETE,ALTER";
        Assert.Equal(
            new HashSet<(string, string, string)>
            {
                (RoleId(ProfileMatrix.DataEngineer), "raw_readings", write),
                (RoleId(ProfileMatrix.DataEngineer), "raw_events", write),
                (RoleId(ProfileMatrix.DataEngineer), "raw_forecasts", write),
                (RoleId(ProfileMatrix.DataEngineer), "curated_readings", write),
                (RoleId(ProfileMatrix.DataEngineer), "curated_events", write),
                (RoleId(ProfileMatrix.DataEngineer), "curated_forecasts", write),
                (RoleId(ProfileMatrix.DataScientist), "curated_readings", read),
                (RoleId(ProfileMatrix.DataScientist), "curated_events", read),
                (RoleId(ProfileMatrix.DataScientist), "curated_forecasts", read),
                (RoleId(ProfileMatrix.MlEngineer), "curated_readings", read),
                (RoleId(ProfileMatrix.MlEngineer), "curated_events", read),
                (RoleId(ProfileMatrix.MlEngineer), "curated_forecasts", read),
            },
            grants);
    }

    [Fact]
    public void Pipeline_roles_get_lake_formation_grants_so_delivery_survives_enforcement()
    {
        var grants = synth.OfType("AWS::LakeFormation::PrincipalPermissions")
            .Where(g => g.Key.StartsWith("PipelineGrants", StringComparison.Ordinal))
            .Select(g => g.Value["Properties"]!)
            .Where(p => p["Resource"]!["Table"] is not null)
            .Select(p => (Role: SynthFixture.RoleIdOf(p["Principal"]!["DataLakePrincipalIdentifier"]),
                          Table: p["Resource"]!["Table"]!["Name"]!.GetValue<string>()))
            .ToList();
        var firehose = synth.LogicalId("AWS::IAM::Role", "LakeDeliveryRole");
        var eventFirehose = synth.LogicalId("AWS::IAM::Role", "LakeEventDeliveryRole");
        var forecastFirehose = synth.LogicalId("AWS::IAM::Role", "LakeForecastDeliveryRole");
        var curation = synth.LogicalId("AWS::IAM::Role", "LakeCurationRole");
        Assert.Equal(
            new[]
            {
                (curation, "curated_readings"), (curation, "curated_events"), (curation, "curated_forecasts"),
                (curation, "raw_readings"), (curation, "raw_events"), (curation, "raw_forecasts"),
                (firehose, "raw_readings"), (eventFirehose, "raw_events"), (forecastFirehose, "raw_forecasts"),
            }.Order(),
            grants.Order());
    }

    [Fact]
    public void Lake_formation_governs_the_lake_when_synthesized()
    {
        // 1. New tables of the database get no IAMAllowedPrincipals grant: Lake Formation permissions decide.
        var database = synth.PropertiesOf("AWS::Glue::Database")["DatabaseInput"]!;
        Assert.Empty(database["CreateTableDefaultPermissions"]!.AsArray());
        // 2. Raw and curated are registered data locations (credential vending), Lake Formation mode only.
        var locations = synth.OfType("AWS::LakeFormation::Resource").Select(r => r.Value["Properties"]!).ToList();
        Assert.Equal(
            new[]
            {
                "${" + synth.LogicalId("AWS::S3::Bucket", "LakeBucketsRaw") + ".Arn}",
                "${" + synth.LogicalId("AWS::S3::Bucket", "LakeBucketsCurated") + ".Arn}",
            }.Order(),
            locations.Select(l => Cfn.Render(l["ResourceArn"])).Order());
        Assert.All(locations, l =>
        {
            Assert.True(l["UseServiceLinkedRole"]!.GetValue<bool>());
            Assert.False(l["HybridAccessEnabled"]!.GetValue<bool>());
        });
        // 3. Every table is granted to someone, and every granted table exists in the template.
        var tables = synth.OfType("AWS::Glue::Table").Select(t => t.Value["Properties"]!["TableInput"]!["Name"]!.GetValue<string>()).ToHashSet();
        var granted = synth.OfType("AWS::LakeFormation::PrincipalPermissions")
            .Select(g => g.Value["Properties"]!["Resource"]!["Table"]?["Name"]?.GetValue<string>()).OfType<string>().ToHashSet();
        Assert.Equal(tables.Order(), granted.Order());
        // 4. Data profiles can see the database; store operations gets nothing from Lake Formation.
        var databaseGrants = synth.OfType("AWS::LakeFormation::PrincipalPermissions")
            .Where(g => g.Value["Properties"]!["Resource"]!["Database"] is not null)
            .Select(g => SynthFixture.RoleIdOf(g.Value["Properties"]!["Principal"]!["DataLakePrincipalIdentifier"])).ToHashSet();
        Assert.Contains(RoleId(ProfileMatrix.DataScientist), databaseGrants);
        Assert.DoesNotContain(RoleId(ProfileMatrix.StoreOperations), databaseGrants);
    }

    [Fact]
    public void Store_operations_reads_only_the_stages_alarms_when_describing_alarms()
    {
        var describe = synth.RoleStatements(RoleId(ProfileMatrix.StoreOperations)).Single(s => s.Actions.Contains("cloudwatch:DescribeAlarms"));
        Assert.Equal(["arn:${AWS::Partition}:cloudwatch:${AWS::Region}:${AWS::AccountId}:alarm:ShelfAgent-test-*"], describe.Resources);
        Assert.All(synth.OfType("AWS::CloudWatch::Alarm"), a =>
            Assert.StartsWith("ShelfAgent-test-", a.Value["Properties"]!["AlarmName"]!.GetValue<string>(), StringComparison.Ordinal));
    }

    [Fact]
    public void Profile_roles_are_assumable_only_from_this_account_when_synthesized()
    {
        foreach (var profile in ProfileMatrix.Profiles.Keys)
        {
            var trust = synth.ResourceMap[RoleId(profile)]!["Properties"]!["AssumeRolePolicyDocument"]!;
            var statement = Assert.Single(trust["Statement"]!.AsArray())!;
            Assert.Equal("arn:${AWS::Partition}:iam::${AWS::AccountId}:root", Cfn.Render(statement["Principal"]!["AWS"]));
        }
    }

    [Fact]
    public void Readme_matrix_matches_the_profile_matrix_when_documented()
    {
        var readme = File.ReadAllText(RepoFiles.PathOf("Cloud", "README.md"));
        var lines = readme.Split('\n');
        var header = lines.First(l => l.StartsWith("| Capability", StringComparison.Ordinal));
        var profiles = header.Split('|', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Skip(1).ToArray();
        Assert.Equal(ProfileMatrix.Profiles.Keys.Order(), profiles.Order());

        var documented = new Dictionary<string, HashSet<Capability>>();
        foreach (var profile in profiles)
        {
            documented[profile] = [];
        }

        foreach (var line in lines.Where(l => CapabilityRow().IsMatch(l)))
        {
            var cells = line.Split('|', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            var capability = Enum.Parse<Capability>(CapabilityRow().Match(line).Groups[1].Value);
            for (var i = 0; i < profiles.Length; i++)
            {
                if (cells[i + 1] == "yes")
                {
                    documented[profiles[i]].Add(capability);
                }
            }
        }

        foreach (var (profile, capabilities) in ProfileMatrix.Profiles)
        {
            Assert.Equal(capabilities.Order(), documented[profile].Order());
        }
    }

    [GeneratedRegex(@"^\| [^|]*`([A-Z][A-Za-z]+)` \|")]
    private static partial Regex CapabilityRow();
}
