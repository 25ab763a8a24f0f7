using ShelfAgent.IotCore.Jobs;

namespace ShelfAgent.Tests.IotCore.Jobs;

public sealed class JobDispatcherTests
{
    [Fact]
    public async Task A_refused_document_is_rejected_with_the_parser_reason()
    {
        var dispatcher = new JobDispatcher([]);

        var outcome = await dispatcher.RunAsync(JobDocumentParser.Parse("""{"operation":"reboot"}"""), CancellationToken.None);

        Assert.Equal(JobStatus.Rejected, outcome.Status);
        Assert.Contains("unknown operation 'reboot'", outcome.Details[0].Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_operation_not_wired_on_this_device_is_rejected_naming_what_is()
    {
        var dispatcher = new JobDispatcher([new Scripted(ReportDiagnosticsJob.Name, _ => Task.FromResult(JobOutcome.Succeeded()))]);

        var outcome = await dispatcher.RunAsync(JobDocumentParser.Parse("""{"operation":"rotate-certificate","templateName":"R"}"""), CancellationToken.None);

        Assert.Equal(JobStatus.Rejected, outcome.Status);
        Assert.Contains("not available on this device (available: report-diagnostics)", outcome.Details[0].Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_document_goes_to_its_operation()
    {
        JobDocument? seen = null;
        var dispatcher = new JobDispatcher([new Scripted(ReportDiagnosticsJob.Name, d => { seen = d; return Task.FromResult(JobOutcome.Succeeded()); })]);

        var outcome = await dispatcher.RunAsync(JobDocumentParser.Parse("""{"operation":"report-diagnostics","logLines":3}"""), CancellationToken.None);

        Assert.Equal(JobStatus.Succeeded, outcome.Status);
        Assert.Equal(3, Assert.IsType<ReportDiagnosticsJob>(seen).LogLines);
    }

    [Fact]
    public async Task A_throwing_operation_is_failed_with_its_message()
    {
        var dispatcher = new JobDispatcher([new Scripted(ReportDiagnosticsJob.Name, _ => throw new IOException("disk full"))]);

        var outcome = await dispatcher.RunAsync(JobDocumentParser.Parse("""{"operation":"report-diagnostics"}"""), CancellationToken.None);

        Assert.Equal(JobStatus.Failed, outcome.Status);
        Assert.Contains("disk full", outcome.Details[0].Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stop_during_an_operation_is_not_reported_as_a_failure()
    {
        using var stop = new CancellationTokenSource();
        var dispatcher = new JobDispatcher([new Scripted(ReportDiagnosticsJob.Name, async _ =>
        {
            await stop.CancelAsync();
            stop.Token.ThrowIfCancellationRequested();
            return JobOutcome.Succeeded();
        })]);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => dispatcher.RunAsync(JobDocumentParser.Parse("""{"operation":"report-diagnostics"}"""), stop.Token));
    }

    private sealed class Scripted(string name, Func<JobDocument, Task<JobOutcome>> run) : IJobOperation
    {
        public string Name => name;

        public Task<JobOutcome> RunAsync(JobDocument document, CancellationToken cancellationToken) => run(document);
    }
}
