namespace ShelfAgent.LocalLake.Releases;

/// <summary>Backtests a release on its held-out week against the release in service (strict scoring of issue 20).</summary>
public static class Evaluation
{
    /// <summary>The evaluation of <paramref name="record"/>.</summary>
    public static EvaluationRecord Evaluate(ReleaseStore releases, ReleaseRecord record, string tracesDirectory)
    {
        ArgumentNullException.ThrowIfNull(record);
        throw new NotImplementedException($"waiting for the strict scoring (issue 20) to evaluate {record.Id} on {tracesDirectory} in {releases}");
    }
}
