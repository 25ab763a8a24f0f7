using System.Globalization;
using ShelfAgent.Contract;
using ShelfAgent.Outbox;
using ShelfAgent.Stock;

namespace ShelfAgent.IotCore.Jobs.Operations;

/// <summary>
/// <c>upload-readings</c>: reads the raw grams kept in the buffer (<c>Buffer:RawRetentionDays</c>) for the job's window and
/// slots through a read-only connection (the agent keeps writing meanwhile) and PUTs them (<see cref="RawReadingsFile"/>) to
/// the pre-signed URL with the report-diagnostics uploader. statusDetails: how many samples, the window, the upload's answer.
/// A failed upload is a FAILED job.
/// </summary>
/// <param name="envelope">Thing and store, named in the file.</param>
/// <param name="buffer">The buffer's options (path, retention, deadband).</param>
/// <param name="uploader">The HTTPS PUT.</param>
/// <param name="time">Says where the retention starts.</param>
public sealed class UploadReadingsOperation(TelemetryEnvelope envelope, OutboxOptions buffer, DiagnosticsUploader uploader, TimeProvider time) : IJobOperation
{
    /// <inheritdoc />
    public string Name => UploadReadingsJob.Name;

    /// <inheritdoc />
    public async Task<JobOutcome> RunAsync(JobDocument document, CancellationToken cancellationToken)
    {
        var job = (UploadReadingsJob)document;
        if (buffer.RawRetentionDays == 0)
        {
            return new JobOutcome(JobStatus.Failed, [new("reason", "this device keeps no raw grams (Buffer:RawRetentionDays is 0)")]);
        }

        var readings = new List<Reading>();
        await foreach (var reading in SqliteOutbox.ExportRawAsync(buffer.Path, job.Slots, job.From, job.To, cancellationToken).ConfigureAwait(false))
        {
            readings.Add(reading);
        }

        var kept = time.GetUtcNow().AddDays(-buffer.RawRetentionDays);
        List<KeyValuePair<string, string>> details =
        [
            new("readings", readings.Count.ToString(CultureInfo.InvariantCulture)),
            new("from", WireFormat.Timestamp(job.From)),
            new("to", WireFormat.Timestamp(job.To)),
            new("keptSince", WireFormat.Timestamp(kept)),
        ];
        var file = RawReadingsFile.Encode(envelope, job, buffer.RawDeadbandGrams, readings);
        try
        {
            var uploaded = await uploader.PutAsync(job.UploadUrl, file, RawReadingsFile.ContentType, cancellationToken).ConfigureAwait(false);
            return new JobOutcome(JobStatus.Succeeded, [.. details, new("upload", uploaded)]);
        }
        catch (HttpRequestException e)
        {
            return new JobOutcome(JobStatus.Failed, [new("reason", e.Message), .. details, new("upload", "failed")]);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            return new JobOutcome(
                JobStatus.Failed, [new("reason", $"the upload to {job.UploadUrl.Host} timed out: {e.Message}"), .. details, new("upload", "failed")]);
        }
    }
}
