using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.IoT;
using CfnPolicy = Amazon.CDK.AWS.IoT.CfnPolicy;
using CfnPolicyProps = Amazon.CDK.AWS.IoT.CfnPolicyProps;
using Constructs;

namespace ShelfAgent.Cloud.Devices;

/// <summary>
/// Who a device is and what it may do: the thing type, the device policy, the claim-certificate policy and
/// the fleet provisioning template that turns a claim certificate into a per-device identity.
/// </summary>
public sealed class DeviceIdentity : Construct
{
    /// <summary>Creates the device identity resources.</summary>
    public DeviceIdentity(Construct scope, string id, StageNaming naming)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(naming);
        string arnPrefix = $"arn:{Aws.PARTITION}:iot:{Aws.REGION}:{Aws.ACCOUNT_ID}";

        var thingType = new CfnThingType(this, "ThingType", new CfnThingTypeProps
        {
            ThingTypeName = naming.ThingType,
            ThingTypeProperties = new CfnThingType.ThingTypePropertiesProperty
            {
                ThingTypeDescription = "ShelfAgent shelf controller (Raspberry Pi with weight/level sensors)",
                // Searchable so operations can list a store's devices from the registry.
                SearchableAttributes = [Topics.StoreAttribute],
            },
        });

        DevicePolicy = new CfnPolicy(this, "DevicePolicy", new CfnPolicyProps
        {
            PolicyName = naming.DevicePolicy,
            PolicyDocument = IotPolicyDocuments.Device(arnPrefix),
        });

        ClaimPolicy = new CfnPolicy(this, "ClaimPolicy", new CfnPolicyProps
        {
            PolicyName = naming.ClaimPolicy,
            PolicyDocument = IotPolicyDocuments.Claim(arnPrefix, naming.ProvisioningTemplate),
        });

        // The role AWS IoT assumes to create the thing and attach certificate and policy while provisioning.
        // Unlike the rule roles, no aws:SourceAccount condition: the fleet provisioning guide's trust policy
        // has none, and a provisioning outage is worse than the (same-account) deputy risk it would close.
        var provisioningRole = new Role(this, "ProvisioningRole", new RoleProps
        {
            AssumedBy = new ServicePrincipal("iot.amazonaws.com"),
            Description = "Lets AWS IoT fleet provisioning register ShelfAgent things",
            ManagedPolicies = [ManagedPolicy.FromAwsManagedPolicyName("service-role/AWSIoTThingsRegistration")],
        });

        Template = new CfnProvisioningTemplate(this, "ProvisioningTemplate", new CfnProvisioningTemplateProps
        {
            TemplateName = naming.ProvisioningTemplate,
            Description = "Fleet provisioning by claim: ThingName and StoreId parameters, device policy attached",
            Enabled = true,
            ProvisioningRoleArn = provisioningRole.RoleArn,
            TemplateBody = ProvisioningTemplateBody.Build(naming.ThingType, naming.DevicePolicy),
        });
        // The body refers to these by name, not by token, so CloudFormation needs the order spelled out.
        Template.AddDependency(thingType);
        Template.AddDependency(DevicePolicy);
    }

    /// <summary>The policy attached to every device certificate.</summary>
    public CfnPolicy DevicePolicy { get; }

    /// <summary>The policy attached to the fleet's claim certificate.</summary>
    public CfnPolicy ClaimPolicy { get; }

    /// <summary>The fleet provisioning template.</summary>
    public CfnProvisioningTemplate Template { get; }
}
