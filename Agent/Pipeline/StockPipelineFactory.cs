using Microsoft.Extensions.Logging;
using ShelfAgent.Config;
using ShelfAgent.Stock;

namespace ShelfAgent.Pipeline;

/// <summary>Builds the agent's <see cref="StockPipeline"/> from options: cloud profiles (read at validation) and the learned demand on disk.</summary>
public static partial class StockPipelineFactory
{
    /// <summary>The pipeline and the store its learning is saved to.</summary>
    public static async Task<(StockPipeline Pipeline, DemandStore Store)> CreateAsync(AgentOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var store = new DemandStore(options.Stock.DemandFile(options.Buffer.Path));
        var (state, problem) = await store.LoadAsync(cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            LogDemandUnusable(logger, problem);
        }

        return (Create(options, state), store);
    }

    /// <summary>A pipeline for <paramref name="options"/> continuing from <paramref name="learned"/> (also used when settings change at runtime).</summary>
    public static StockPipeline Create(AgentOptions options, Stock.Forecasting.DemandState? learned)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new StockPipeline(options.Device.StoreId, options.Device.ThingName, options.Slots, options.Stock.Settings, options.Stock.Profiles, learned);
    }

    [LoggerMessage(EventId = 2104, Level = LogLevel.Warning, Message = "{Problem}")]
    private static partial void LogDemandUnusable(ILogger logger, string problem);
}
