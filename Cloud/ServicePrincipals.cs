using Amazon.CDK;
using Amazon.CDK.AWS.IAM;

namespace ShelfAgent.Cloud;

/// <summary>
/// Service principals for role trust policies, scoped to this account so another account's rule, stream or
/// schedule cannot make the service assume our roles (IAM user guide, "The confused deputy problem").
/// </summary>
public static class ServicePrincipals
{
    /// <summary>AWS IoT (topic rules), only on behalf of this account.</summary>
    public static ServicePrincipal IotRules() => FromAccount("iot.amazonaws.com");

    /// <summary>AWS IoT Jobs (the pre-signed URL role of a job template), only on behalf of this account.</summary>
    public static ServicePrincipal IotJobs() => FromAccount("iot.amazonaws.com");

    /// <summary>EventBridge Scheduler, only on behalf of this account.</summary>
    public static ServicePrincipal Scheduler() => FromAccount("scheduler.amazonaws.com");

    /// <summary>ECS tasks (a task role), only on behalf of this account (Amazon ECS developer guide, "Task IAM role").</summary>
    public static ServicePrincipal EcsTasks() => FromAccount("ecs-tasks.amazonaws.com");

    /// <summary>Firehose passes the account id as external id (Firehose developer guide, "Controlling access").</summary>
    public static ServicePrincipal Firehose() => new("firehose.amazonaws.com", new ServicePrincipalOpts
    {
        Conditions = new Dictionary<string, object>
        {
            ["StringEquals"] = new Dictionary<string, object> { ["sts:ExternalId"] = Aws.ACCOUNT_ID },
        },
    });

    private static ServicePrincipal FromAccount(string service) => new(service, new ServicePrincipalOpts
    {
        Conditions = new Dictionary<string, object>
        {
            ["StringEquals"] = new Dictionary<string, object> { ["aws:SourceAccount"] = Aws.ACCOUNT_ID },
        },
    });
}
