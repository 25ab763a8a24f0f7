using ShelfAgent.Stock;
using ShelfAgent.Stock.Forecasting;

namespace ShelfAgent.Pipeline;

/// <summary>What <see cref="SamplingService.Reconfigure"/> takes.</summary>
/// <param name="Interval"><c>Sampling:IntervalMs</c>.</param>
/// <param name="Slots">The slots' settings (matched to samplers by id; sensors are not changed at runtime).</param>
/// <param name="Pipeline">When slot or <c>Stock:*</c> settings changed: builds the new stock pipeline from what the old one learned; null keeps it.</param>
public sealed record SamplingChange(TimeSpan Interval, IReadOnlyList<SlotOptions> Slots, Func<DemandState, StockPipeline>? Pipeline);
