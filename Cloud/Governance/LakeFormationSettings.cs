using Amazon.CDK;
using Amazon.CDK.AWS.LakeFormation;
using Constructs;

namespace ShelfAgent.Cloud.Governance;

/// <summary>
/// Opt-in (<c>-c lakeFormationSettings=true</c>): the account's Lake Formation settings with empty
/// CreateDatabaseDefaultPermissions and CreateTableDefaultPermissions, applied before the database is created,
/// so Lake Formation adds no IAMAllowedPrincipals grant on the database itself (CloudFormation cannot revoke one
/// afterwards: AWS::LakeFormation::PrincipalPermissions only grants). Off by default because
/// AWS::LakeFormation::DataLakeSettings is one per account and region and PutDataLakeSettings replaces the whole
/// settings, admin list included: the admins become exactly the CDK deployment role plus <c>lakeFormationAdmins</c>,
/// and every other database created in the account afterwards is Lake Formation-governed too.
/// </summary>
public sealed class LakeFormationSettings : Construct
{
    /// <summary>Creates the settings; the database must depend on them.</summary>
    public LakeFormationSettings(Construct scope, string id, IEnumerable<string> extraAdmins)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(extraAdmins);
        var synthesizer = Stack.Of(this).Synthesizer as DefaultStackSynthesizer;
        var admins = new List<string>();
        if (synthesizer is not null)
        {
            // The role CloudFormation deploys with must stay an admin, or the stack's own grants fail.
            // The synthesizer writes it with ${AWS::…} placeholders: Fn::Sub resolves them.
            admins.Add(Fn.Sub(synthesizer.CloudFormationExecutionRoleArn));
        }

        admins.AddRange(extraAdmins);
        Settings = new CfnDataLakeSettings(this, "Settings", new CfnDataLakeSettingsProps
        {
            Admins = admins.Select(a => (object)new CfnDataLakeSettings.DataLakePrincipalProperty { DataLakePrincipalIdentifier = a }).ToArray(),
            CreateDatabaseDefaultPermissions = Array.Empty<object>(),
            CreateTableDefaultPermissions = Array.Empty<object>(),
        });
    }

    /// <summary>The settings resource.</summary>
    public CfnDataLakeSettings Settings { get; }
}
