using ShelfAgent.IotCore.Jobs;
using ShelfAgent.IotCore.Jobs.Operations;

namespace ShelfAgent.Diagnostics;

/// <summary>
/// <c>report-diagnostics</c>: runs the doctor's checks inside the agent (without its broker connection, which would
/// push the agent's own connection off: same client id — the agent is connected, or it could not have got the job),
/// takes the recent warning/error lines, and reports them: a summary in statusDetails and, when the document gives an
/// <c>uploadUrl</c>, the full report by HTTPS PUT. A failed upload is a FAILED job, with the summary all the same.
/// </summary>
/// <param name="thingName">The device, named in the report.</param>
/// <param name="doctor">The doctor's findings (<see cref="DeviceDoctor.InAgentAsync"/>).</param>
/// <param name="log">Recent warnings and errors.</param>
/// <param name="uploader">The HTTPS PUT.</param>
/// <param name="time">Stamps the report.</param>
public sealed class ReportDiagnosticsOperation(
    string thingName,
    Func<CancellationToken, Task<IReadOnlyList<CheckResult>>> doctor,
    RecentLogLines log,
    DiagnosticsUploader uploader,
    TimeProvider time) : IJobOperation
{
    /// <inheritdoc />
    public string Name => ReportDiagnosticsJob.Name;

    /// <inheritdoc />
    public async Task<JobOutcome> RunAsync(JobDocument document, CancellationToken cancellationToken)
    {
        var job = (ReportDiagnosticsJob)document;
        var findings = await doctor(cancellationToken).ConfigureAwait(false);
        var lines = log.Last(job.LogLines);
        if (job.UploadUrl is not { } url)
        {
            return new JobOutcome(JobStatus.Succeeded, DiagnosticsReport.Summary(findings, lines, null));
        }

        var report = DiagnosticsReport.Encode(thingName, time.GetUtcNow(), findings, lines);
        try
        {
            var uploaded = await uploader.PutAsync(url, report, cancellationToken).ConfigureAwait(false);
            return new JobOutcome(JobStatus.Succeeded, DiagnosticsReport.Summary(findings, lines, uploaded));
        }
        catch (HttpRequestException e)
        {
            return new JobOutcome(JobStatus.Failed, [new("reason", e.Message), .. DiagnosticsReport.Summary(findings, lines, "failed")]);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            return new JobOutcome(
                JobStatus.Failed, [new("reason", $"the upload to {url.Host} timed out: {e.Message}"), .. DiagnosticsReport.Summary(findings, lines, "failed")]);
        }
    }
}
