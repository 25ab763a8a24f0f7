using ShelfAgent.Cloud.Devices;
using ShelfAgent.LocalIot.Policy;
using ShelfAgent.LocalIot.Provisioning;

namespace ShelfAgent.LocalIot;

/// <summary>How to start a <see cref="LocalIotCore"/>. The defaults suit a test: a temporary folder, a free port, Cloud's policies.</summary>
public sealed class LocalIotCoreOptions
{
    /// <summary>The ARN prefix policies are rendered with (arn:{partition}:iot:{region}:{account}).</summary>
    public const string ArnPrefix = "arn:aws:iot:local:000000000000";

    /// <summary>The claim policy's provisioning template (Cloud's StageNaming for stage "test").</summary>
    public string ProvisioningTemplate { get; init; } = "ShelfAgent-test";

    /// <summary>The template the device policy lets a device call to rotate its certificate.</summary>
    public string RotationTemplate { get; init; } = "ShelfAgentRotate-test";

    /// <summary>
    /// The telemetry rule devices reach through Basic Ingest (<c>$aws/rules/{rule}/dt/shelf/…/telemetry</c>): the device policy
    /// allows it, and the core stands in for the rule by republishing such a message on its plain topic (Rules/BasicIngest).
    /// Default: Cloud's rule of the stage <c>dev</c> (cdk.json's default), the agent's default <c>Publish:BasicIngestRule</c>,
    /// so an agent with its defaults works here. Null or empty: no stand-in.
    /// </summary>
    public string? BasicIngestRule { get; init; } = DefaultBasicIngestRule;

    /// <summary>shelfagent_dev_telemetry: Cloud's StageNaming("dev").Rule("telemetry").</summary>
    public const string DefaultBasicIngestRule = "shelfagent_dev_telemetry";

    /// <summary>
    /// The policies attached to every device certificate, by name; by default the two Cloud deploys
    /// (IotPolicyDocuments.DeviceJson and DeviceOperationsJson).
    /// </summary>
    public IReadOnlyList<(string Name, string Json)>? DevicePolicies { get; init; }

    /// <summary>The claim certificate's policy; by default the one Cloud deploys (IotPolicyDocuments.ClaimJson).</summary>
    public string? ClaimPolicyJson { get; init; }

    internal IReadOnlyList<(string Name, string Json)> EffectiveDevicePolicies => DevicePolicies ??
    [
        ("ShelfAgentDevice", IotPolicyDocuments.DeviceJson(ArnPrefix, string.IsNullOrEmpty(BasicIngestRule) ? DefaultBasicIngestRule : BasicIngestRule)),
        ("ShelfAgentDeviceOps", IotPolicyDocuments.DeviceOperationsJson(ArnPrefix, RotationTemplate)),
    ];

    internal string EffectiveClaimPolicy => ClaimPolicyJson ?? IotPolicyDocuments.ClaimJson(ArnPrefix, ProvisioningTemplate);

    /// <summary>The device policies as the broker enforces them (all statements of all of them, in order).</summary>
    public IotPolicy ParseDevicePolicy() => IotPolicy.Combine([.. EffectiveDevicePolicies.Select(p => IotPolicy.Parse(p.Json, p.Name))]);

    /// <summary>The claim policy as the broker enforces it.</summary>
    public IotPolicy ParseClaimPolicy() => IotPolicy.Parse(EffectiveClaimPolicy, "ShelfAgentClaim");

    /// <summary>The service's clock: ownership-token expiry, shadow and job timestamps. A FakeTimeProvider lets a test expire a token.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Lifetime of create-from-csr's certificateOwnershipToken (developer guide: 1 hour).</summary>
    public TimeSpan OwnershipTokenLifetime { get; init; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Makes create-from-csr refuse a CSR: called with the request's PEM, a returned <see cref="IotRejection"/> is sent
    /// on <c>$aws/certificates/create-from-csr/json/rejected</c> as AWS's documented {statusCode, errorCode,
    /// errorMessage} and no certificate is issued (e.g. a key type the account does not accept); null signs it.
    /// </summary>
    public Func<string, IotRejection?>? CsrRefusal { get; init; }

    /// <summary>Extra mosquitto.conf lines.</summary>
    public IReadOnlyList<string> ExtraBrokerLines { get; init; } = [];

    /// <summary>
    /// A folder that keeps the core across restarts: the CA and the broker (under broker/: its configuration, log and
    /// sessions), the ACL, issued certificates (certs/), registry.json, shadows.json, jobs.json, and endpoint.json
    /// while it runs. Null: a temporary folder removed at dispose, nothing kept.
    /// </summary>
    public string? StateDirectory { get; init; }

    /// <summary>The port on 127.0.0.1 the broker listens on; null: one that is free now.</summary>
    public int? Port { get; init; }

    /// <summary>
    /// Told a line for every request the service answers and every policy refusal, for a person watching (the executable
    /// prints them); null: silent.
    /// </summary>
    public Action<string>? Log { get; init; }
}
