using System.Text.RegularExpressions;

namespace ShelfAgent.Cloud;

/// <summary>
/// Physical names derived from the stage (dev, test, prod …). One place, so the IoT names the devices and
/// the provisioning template depend on are stable and predictable, and the tests can assert them.
/// </summary>
public sealed partial record StageNaming
{
    /// <summary>Creates the naming for a stage; the stage must be 1–12 lowercase letters or digits, starting with a letter.</summary>
    /// <exception cref="ArgumentException">The stage name would produce invalid resource names.</exception>
    public StageNaming(string stage)
    {
        ArgumentNullException.ThrowIfNull(stage);
        // IoT rule names allow only [a-zA-Z0-9_], Glue/Athena want lowercase, S3 names lowercase and short:
        // the common subset is a short lowercase alphanumeric word.
        if (!StagePattern().IsMatch(stage))
        {
            throw new ArgumentException(
                $"Stage '{stage}' is invalid: use 1-12 lowercase letters or digits starting with a letter (cdk synth -c stage=dev).",
                nameof(stage));
        }

        Stage = stage;
    }

    /// <summary>The stage name, e.g. "dev".</summary>
    public string Stage { get; }

    /// <summary>CloudFormation stack name.</summary>
    public string StackName => $"ShelfAgent-{Stage}";

    /// <summary>IoT thing type of a shelf controller.</summary>
    public string ThingType => $"ShelfAgentShelf-{Stage}";

    /// <summary>IoT policy attached to every device certificate.</summary>
    public string DevicePolicy => $"ShelfAgentDevice-{Stage}";

    /// <summary>Second IoT policy of every device certificate: jobs and certificate rotation.</summary>
    public string DeviceOperationsPolicy => $"ShelfAgentDeviceOps-{Stage}";

    /// <summary>IoT policy attached to the fleet's claim certificate.</summary>
    public string ClaimPolicy => $"ShelfAgentClaim-{Stage}";

    /// <summary>Fleet provisioning template name (AWS IoT: [0-9A-Za-z_-]{1,36}).</summary>
    public string ProvisioningTemplate => $"ShelfAgent-{Stage}";

    /// <summary>
    /// Provisioning template a provisioned device calls with its own certificate to register its next one
    /// (certificate rotation, issue 14); the device policy allows only this one.
    /// </summary>
    public string RotationTemplate => $"ShelfAgentRotate-{Stage}";

    /// <summary>Glue database of the shelf data lake.</summary>
    public string GlueDatabase => $"shelfagent_{Stage}";

    /// <summary>Athena workgroup for the data team.</summary>
    public string AthenaWorkGroup => $"shelfagent-{Stage}";

    /// <summary>Athena workgroup of the scheduled pipeline queries (curation, training, source merges): its own scan cap and failure alarm.</summary>
    public string AthenaPipelineWorkGroup => $"shelfagent-{Stage}-pipeline";

    /// <summary>IoT topic rule name for a given purpose (rule names allow only [a-zA-Z0-9_]).</summary>
    public string Rule(string purpose) => $"shelfagent_{Stage}_{purpose}";

    /// <summary>IAM role that may sign agent releases with alias/shelf-update and upload them (CI assumes it).</summary>
    public string ReleaseSignerRole => $"shelfagent-{Stage}-release-signer";

    /// <summary>Job template of agent updates (AWS IoT: [a-zA-Z0-9_-]{1,64}).</summary>
    public string AgentUpdateJobTemplate => $"ShelfAgentUpdate-{Stage}";

    /// <summary>Job template of profile releases.</summary>
    public string ProfilesUpdateJobTemplate => $"ShelfAgentProfilesUpdate-{Stage}";

    /// <summary>IAM role name of a governance profile.</summary>
    public string ProfileRole(string profile) => $"shelfagent-{Stage}-{profile}";

    [GeneratedRegex("^[a-z][a-z0-9]{0,11}$")]
    private static partial Regex StagePattern();
}
