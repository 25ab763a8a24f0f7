using ShelfAgent.Outbox;
using ShelfAgent.Stock;
using ShelfAgent.Transport;

namespace ShelfAgent.Config;

/// <summary>The whole agent.json, after validation.</summary>
public sealed class AgentOptions
{
    /// <summary>The file the options were read from (for messages).</summary>
    public string SourceFile { get; set; } = "";

    /// <summary>
    /// Hash of the effective configuration (file, accepted remote changes and environment), reported in the device
    /// shadow as <c>configHash</c> so the fleet sees which devices run the same settings.
    /// </summary>
    public string EffectiveHash { get; set; } = "";

    /// <summary><c>Device</c>.</summary>
    public DeviceOptions Device { get; set; } = new();

    /// <summary><c>Mqtt</c>.</summary>
    public MqttOptions Mqtt { get; set; } = new();

    /// <summary><c>Buffer</c>: the outbox's own options class, so its keys and checks live in one place.</summary>
    public OutboxOptions Buffer { get; set; } = new();

    /// <summary><c>Publish</c>.</summary>
    public PublishOptions Publish { get; set; } = new();

    /// <summary><c>Sampling</c>.</summary>
    public SamplingOptions Sampling { get; set; } = new();

    /// <summary><c>Slots</c>.</summary>
    public List<SlotOptions> Slots { get; set; } = [];

    /// <summary><c>Calibration</c>: where tare and span factors live, apart from agent.json.</summary>
    public CalibrationOptions Calibration { get; set; } = new();

    /// <summary><c>Stock</c>: demand, prediction and forecasts.</summary>
    public StockOptions Stock { get; set; } = new();

    /// <summary><c>Shadow</c>: the device shadow (docs/shadow.md).</summary>
    public ShadowOptions Shadow { get; set; } = new();

    /// <summary><c>Update</c>: signed updates through jobs (docs/jobs.md, <c>agent-update</c>).</summary>
    public UpdateOptions Update { get; set; } = new();

    /// <summary><c>Profiles</c>: the keys that sign profile releases (<c>profiles-update</c>).</summary>
    public ProfilesOptions Profiles { get; set; } = new();

    /// <summary><c>Logging</c>.</summary>
    public LoggingOptions Logging { get; set; } = new();
}
