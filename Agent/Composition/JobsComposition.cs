using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ShelfAgent.Config;
using ShelfAgent.Diagnostics;
using ShelfAgent.Fleet.Jobs;
using ShelfAgent.Fleet.Jobs.Operations;
using ShelfAgent.Fleet.Shadow;
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
    /// <param name="transport">The agent's connection.</param>
    /// <param name="parts">The engines the operations use.</param>
    /// <param name="time">Clock.</param>
    /// <param name="loggers">Logs.</param>
    public static void AddJobs(IServiceCollection services, AgentOptions options, MqttTransport transport, JobParts parts, TimeProvider time, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(parts);
        // Registered as a factory: the container owns the client and disposes it at stop.
        services.AddSingleton(_ => new HttpClient(parts.UploadHandler ?? new SocketsHttpHandler(), disposeHandler: true) { Timeout = TimeSpan.FromSeconds(60) });
        services.AddHostedService(sp =>
        {
            var operations = new List<IJobOperation>
            {
                new ReportDiagnosticsOperation(
                    options.Device.ThingName,
                    ct => DoctorAsync(options, time, loggers, ct),
                    parts.RecentLog ?? new RecentLogLines(),
                    new DiagnosticsUploader(sp.GetRequiredService<HttpClient>()),
                    time),
            };
            if (parts.ConfigApplier is { } applier)
            {
                operations.Add(new ConfigUpdateOperation(applier));
            }

            var client = new JobsClient(transport, new JobTopics(options.Device.ThingName), new JobDispatcher(operations), new JobStateFile(StatePath(options)), time, loggers.CreateLogger<JobsClient>());
            return new JobsService(transport, client);
        });
    }

    /// <summary>The doctor's checks inside the running agent: everything but its own broker connection (same client id).</summary>
    private static async Task<IReadOnlyList<CheckResult>> DoctorAsync(AgentOptions options, TimeProvider time, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var findings = new List<CheckResult>();
        var request = new DoctorRequest(false, [], ServiceUserAccess.Create(null));
        await foreach (var finding in DeviceDoctor.RunAsync(options, request, time, loggers, cancellationToken).ConfigureAwait(false))
        {
            findings.Add(finding);
        }

        return findings;
    }
}
