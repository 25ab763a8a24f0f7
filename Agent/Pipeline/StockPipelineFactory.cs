using Microsoft.Extensions.Logging;
using ShelfAgent.Config;
using ShelfAgent.Contract;
using ShelfAgent.Profiles;
using ShelfAgent.Stock;
using ShelfAgent.Stock.Forecasting;

namespace ShelfAgent.Pipeline;

/// <summary>Builds the agent's <see cref="StockPipeline"/> from options: cloud profiles (read at validation) and the learned demand on disk.</summary>
public static partial class StockPipelineFactory
{
    /// <summary>The pipeline and the store its learning is saved to.</summary>
    public static async Task<(StockPipeline Pipeline, DemandStore Store)> CreateAsync(AgentOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        var store = Store(options);
        var state = await LoadAsync(store, logger, cancellationToken).ConfigureAwait(false);
        return (Create(options, state), store);
    }

    /// <summary>The store at <c>Stock:DemandPath</c>.</summary>
    public static DemandStore Store(AgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new DemandStore(options.Stock.DemandFile(options.Buffer.Path));
    }

    /// <summary>What the store holds; an unusable file is logged and learning starts again.</summary>
    public static async Task<DemandState> LoadAsync(DemandStore store, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var (state, problem) = await store.LoadAsync(cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            LogDemandUnusable(logger, problem);
        }

        return state;
    }

    /// <summary>The pipeline for the options' slots, starting from <paramref name="state"/>.</summary>
    public static StockPipeline Create(AgentOptions options, DemandState state) => Create(options, state, null);

    /// <summary>
    /// The pipeline for the options' slots, starting from <paramref name="state"/>, on the profile release in use
    /// (<c>profiles-update</c>) where no shadow override names the slot (<see cref="ReleaseProfiles"/>).
    /// </summary>
    public static StockPipeline Create(AgentOptions options, DemandState state, ProfileRelease? release)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new StockPipeline(
            options.Device.StoreId, options.Device.ThingName, options.Slots, options.Stock.Settings, ReleaseProfiles.Merge(options, release), state);
    }

    [LoggerMessage(EventId = 2104, Level = LogLevel.Warning, Message = "{Problem}")]
    private static partial void LogDemandUnusable(ILogger logger, string problem);
}
