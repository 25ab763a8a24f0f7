namespace ShelfAgent.Pipeline;

/// <summary>How long ago the pipeline last moved, as <see cref="PipelineProgress"/> saw it at one moment.</summary>
/// <param name="SinceCommit">Time since sampling last committed readings to the outbox (or since start).</param>
/// <param name="SinceAck">Time since the publisher last had a batch acknowledged, or since it last found work to do.</param>
/// <param name="PublisherIdle">The publisher is waiting for a connection or for data: it has nothing to do.</param>
public readonly record struct ProgressSnapshot(TimeSpan SinceCommit, TimeSpan SinceAck, bool PublisherIdle);
