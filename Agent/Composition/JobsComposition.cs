using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ShelfAgent.Config;
using ShelfAgent.Config.Runtime;
using ShelfAgent.IotCore;
using ShelfAgent.IotCore.Jobs;
using ShelfAgent.IotCore.Jobs.Operations;
using ShelfAgent.IotCore.Provisioning;
using ShelfAgent.Transport;

namespace ShelfAgent.Composition;

/// <summary>
/// Builds the jobs client and its operations from the agent's options (docs/jobs.md). An operation whose engine is not
/// given (no configuration applier, no certificate rotation) is not offered, and a job asking for it is REJECTED
/// saying so.
/// </summary>
public static class JobsComposition
{
    /// <summary>The job record file: <c>jobs.json</c> beside the buffer (under /var/lib/shelf-agent, writable by the unit).</summary>
    public static string StatePath(AgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Path.Combine(Path.GetDirectoryName(Path.GetFullPath(options.Buffer.Path)) ?? ".", "jobs.json");
    }

    /// <summary>Registers the jobs service on <paramref name="services"/>.</summary>
    /// <param name="services">The host's services.</param>
    /// <param name="options">The agent's options.</param>
    /// <param name="parts">
    /// The engines the operations use; without a configuration applier, the container's (the runtime configuration's) if it has one.
    /// </param>
    /// <param name="time">Clock.</param>
    public static void AddJobs(IServiceCollection services, AgentOptions options, JobParts parts, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(parts);
        services.AddHostedService(sp =>
        {
            var transport = sp.GetRequiredService<MqttTransport>();
            var loggers = sp.GetRequiredService<ILoggerFactory>();
            var session = new MqttTransportSession(transport);
            var operations = new List<IJobOperation>(parts.Operations ?? []);
            if ((parts.ConfigApplier ?? sp.GetService<IConfigApplier>()) is { } applier)
            {
                operations.Add(new ConfigUpdateOperation(applier));
            }

            // The rotation's test connection goes to the configured endpoint with the new pair (client id = thing name).
            var connector = new MqttIotConnector(_ => MqttTransportOptions.FromConfig(options.Mqtt, options.Device.ThingName), time, loggers);
            operations.Add(new RotateCertificateOperation(
                new CertificateRotation(connector, time),
                session,
                new IotIdentity(options.Mqtt.CertFile, options.Mqtt.KeyFile, options.Device.ThingName), options.SourceFile));
            if (sp.GetService<UpdateComposition.UpdateOperationHolder>() is { } update)
            {
                operations.Add(update.Operation);
            }

            if (sp.GetService<ProfilesComposition.ProfilesOperationHolder>() is { } profiles)
            {
                operations.Add(profiles.Operation);
            }

            var lifetime = sp.GetRequiredService<IHostApplicationLifetime>();
            var client = new JobsClient(
                session,
                new JobTopics(options.Device.ThingName),
                new JobDispatcher(operations),
                new JobStateFile(StatePath(options)),
                time,
                loggers.CreateLogger<JobsClient>(),
                lifetime.StopApplication,
                options.Mqtt.CertFile);
            return new JobsService(transport, client);
        });
    }
}
