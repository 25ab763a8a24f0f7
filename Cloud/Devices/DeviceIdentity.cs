using Amazon.CDK;
using Amazon.CDK.AWS.DynamoDB;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.IoT;
using Amazon.CDK.AWS.Lambda;
using Constructs;
using CfnPolicy = Amazon.CDK.AWS.IoT.CfnPolicy;
using CfnPolicyProps = Amazon.CDK.AWS.IoT.CfnPolicyProps;

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
        var arnPrefix = $"arn:{Aws.PARTITION}:iot:{Aws.REGION}:{Aws.ACCOUNT_ID}";

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
            PolicyDocument = IotPolicyDocuments.Device(arnPrefix, naming.Rule(Topics.TelemetryRulePurpose)),
        });

        DeviceOperationsPolicy = new CfnPolicy(this, "DeviceOperationsPolicy", new CfnPolicyProps
        {
            PolicyName = naming.DeviceOperationsPolicy,
            PolicyDocument = IotPolicyDocuments.DeviceOperations(arnPrefix, naming.RotationTemplate),
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

        // Which devices may provision: one item per thing name (storeId, serialNumber, secretSha256), written by
        // operations before a device ships and marked used (usedAt, usedBy) by the hook (README "Provisioning").
        // On-demand: costs nothing idle.
        AllowList = new Table(this, "ProvisioningAllowList", new TableProps
        {
            PartitionKey = new Amazon.CDK.AWS.DynamoDB.Attribute { Name = "thingName", Type = AttributeType.STRING },
            BillingMode = BillingMode.PAY_PER_REQUEST,
            Encryption = TableEncryption.AWS_MANAGED,
            PointInTimeRecovery = true,
            RemovalPolicy = RemovalPolicy.RETAIN,
        });

        var hook = InlineNodeFunction.Create(this, "PreProvisioningHook", LambdaSource.ProvisioningHook,
            "Fleet provisioning: refuses existing things and devices not on the allow-list",
            // AWS IoT waits 5 s for the hook's answer.
            Duration.Seconds(4),
            new Dictionary<string, string> { ["ALLOW_LIST_TABLE"] = AllowList.TableName });
        Hook = hook.Function;
        HookLogs = hook.Logs;
        Hook.AddToRolePolicy(new PolicyStatement(new PolicyStatementProps
        {
            // UpdateItem: the conditional "used" mark, so two racing requests for one entry cannot both pass.
            Actions = ["dynamodb:GetItem", "dynamodb:UpdateItem"],
            Resources = [AllowList.TableArn],
        }));
        Hook.AddToRolePolicy(new PolicyStatement(new PolicyStatementProps
        {
            Actions = ["iot:DescribeThing"],
            Resources = [$"{arnPrefix}:thing/*"],
        }));
        var templateArn = $"{arnPrefix}:provisioningtemplate/{naming.ProvisioningTemplate}";
        // Only this account's template may invoke it (developer guide "Cross-service confused deputy prevention").
        var invoke = new CfnPermission(this, "HookInvokePermission", new CfnPermissionProps
        {
            Action = "lambda:InvokeFunction",
            FunctionName = Hook.FunctionArn,
            Principal = "iot.amazonaws.com",
            SourceArn = templateArn,
            SourceAccount = Aws.ACCOUNT_ID,
        });

        Template = new CfnProvisioningTemplate(this, "ProvisioningTemplate", new CfnProvisioningTemplateProps
        {
            TemplateName = naming.ProvisioningTemplate,
            Description = "Fleet provisioning by claim: ThingName and StoreId parameters, allow-list hook, device policy attached",
            Enabled = true,
            ProvisioningRoleArn = provisioningRole.RoleArn,
            TemplateBody = ProvisioningTemplateBody.Build(naming.ThingType, naming.DevicePolicy, naming.DeviceOperationsPolicy),
            PreProvisioningHook = new CfnProvisioningTemplate.ProvisioningHookProperty
            {
                TargetArn = Hook.FunctionArn,
                PayloadVersion = "2020-04-01",
            },
        });
        Template.AddDependency(invoke);
        AddRotation(naming, arnPrefix, provisioningRole);
        // The body refers to these by name, not by token, so CloudFormation needs the order spelled out.
        Template.AddDependency(thingType);
        Template.AddDependency(DevicePolicy);
        Template.AddDependency(DeviceOperationsPolicy);
    }

    /// <summary>The rotation template's hook (the caller's certificate must be attached to the thing it names).</summary>
    public Function RotationHook { get; private set; } = null!;

    /// <summary>The rotation hook's log group.</summary>
    public Amazon.CDK.AWS.Logs.LogGroup RotationHookLogs { get; private set; } = null!;

    /// <summary>The template a provisioned device calls with its own certificate to register its next one.</summary>
    public CfnProvisioningTemplate RotationTemplate { get; private set; } = null!;

    /// <summary>The policy attached to every device certificate.</summary>
    public CfnPolicy DevicePolicy { get; }

    /// <summary>The second policy of every device certificate (jobs, certificate rotation).</summary>
    public CfnPolicy DeviceOperationsPolicy { get; }

    /// <summary>The policy attached to the fleet's claim certificate.</summary>
    public CfnPolicy ClaimPolicy { get; }

    /// <summary>Things that may provision (thingName → storeId, optional serialNumber).</summary>
    public Table AllowList { get; }

    /// <summary>The pre-provisioning hook.</summary>
    public Function Hook { get; }

    /// <summary>The hook's log group (one line per decision).</summary>
    public Amazon.CDK.AWS.Logs.LogGroup HookLogs { get; }

    /// <summary>The fleet provisioning template.</summary>
    public CfnProvisioningTemplate Template { get; }

    /// <summary>
    /// Certificate rotation (issue 14): a template that attaches a new certificate to the caller's existing thing,
    /// called over MQTT with the device's current certificate (the device operations policy allows only it). Its hook
    /// allows a thing only when the calling certificate is attached to it: without that, any fleet device could
    /// attach a certificate of its own to another device's thing.
    /// </summary>
    private void AddRotation(StageNaming naming, string arnPrefix, Role provisioningRole)
    {
        var hook = InlineNodeFunction.Create(this, "RotationHook", LambdaSource.RotationHook,
            "Certificate rotation: allows a new certificate only for the thing the caller's certificate is attached to",
            Duration.Seconds(4),
            new Dictionary<string, string> { ["CERT_ARN_PREFIX"] = $"{arnPrefix}:cert/" });
        RotationHook = hook.Function;
        RotationHookLogs = hook.Logs;
        // ListPrincipalThings has no resource type in the IAM service authorization reference: "*" is the only form.
        RotationHook.AddToRolePolicy(new PolicyStatement(new PolicyStatementProps
        {
            Actions = ["iot:ListPrincipalThings"],
            Resources = ["*"],
        }));
        var templateArn = $"{arnPrefix}:provisioningtemplate/{naming.RotationTemplate}";
        var invoke = new CfnPermission(this, "RotationHookInvokePermission", new CfnPermissionProps
        {
            Action = "lambda:InvokeFunction",
            FunctionName = RotationHook.FunctionArn,
            Principal = "iot.amazonaws.com",
            SourceArn = templateArn,
            SourceAccount = Aws.ACCOUNT_ID,
        });
        RotationTemplate = new CfnProvisioningTemplate(this, "RotationTemplate", new CfnProvisioningTemplateProps
        {
            TemplateName = naming.RotationTemplate,
            Description = "Certificate rotation: a provisioned device registers its next certificate for its own thing",
            Enabled = true,
            ProvisioningRoleArn = provisioningRole.RoleArn,
            TemplateBody = ProvisioningTemplateBody.BuildRotation(naming.DevicePolicy, naming.DeviceOperationsPolicy),
            PreProvisioningHook = new CfnProvisioningTemplate.ProvisioningHookProperty
            {
                TargetArn = RotationHook.FunctionArn,
                PayloadVersion = "2020-04-01",
            },
        });
        RotationTemplate.AddDependency(invoke);
        RotationTemplate.AddDependency(DevicePolicy);
        RotationTemplate.AddDependency(DeviceOperationsPolicy);
    }
}
