namespace ShelfAgent.Cloud.Tests.Governance;

/// <summary>The opt-in account settings that keep IAMAllowedPrincipals off the database itself.</summary>
[Collection(CdkSynth.Name)]
public sealed class LakeFormationSettingsTests(SynthFixture synth, FullSynthFixture full)
{
    [Fact]
    public void Account_settings_are_left_alone_when_not_asked_for()
    {
        Assert.Empty(synth.OfType("AWS::LakeFormation::DataLakeSettings"));
    }

    [Fact]
    public void New_databases_and_tables_get_no_default_grant_and_the_database_waits_for_it_when_asked_for()
    {
        var settings = Assert.Single(full.Synth.OfType("AWS::LakeFormation::DataLakeSettings"));
        var props = settings.Value["Properties"]!;
        Assert.Empty(props["CreateDatabaseDefaultPermissions"]!.AsArray());
        Assert.Empty(props["CreateTableDefaultPermissions"]!.AsArray());

        // The replacing call keeps the deployment role an admin (the stack's own grants need it) and adds the given one.
        var admins = props["Admins"]!.AsArray().Select(a => Cfn.Render(a!["DataLakePrincipalIdentifier"])).ToList();
        Assert.Contains(admins, a => a.Contains("cdk-hnb659fds-cfn-exec-role", StringComparison.Ordinal));
        Assert.Contains("arn:aws:iam::111122223333:role/DataLakeAdmin", admins);

        var database = Assert.Single(full.Synth.OfType("AWS::Glue::Database"));
        Assert.Contains(settings.Key, database.Value["DependsOn"]!.AsArray().Select(d => d!.GetValue<string>()));
    }
}
