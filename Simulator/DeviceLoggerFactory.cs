using Microsoft.Extensions.Logging;

namespace ShelfAgent.Simulator;

/// <summary>
/// One virtual device's loggers: every line carries the device's name (a <c>ThingName</c> scope property,
/// which the console template prints), and sensor faults go to the <see cref="FaultTally"/> instead of the
/// console, unless every fault was asked for (then each is a warning line, as the agent logs it at Debug).
/// </summary>
public sealed class DeviceLoggerFactory(
    ILoggerFactory inner,
    string thingName,
    FaultTally faults,
    bool logEveryFault,
    Scale.FleetMetrics? metrics = null,
    int device = 0,
    Scale.LogBudget? budget = null) : ILoggerFactory
{
    /// <summary>The transport's "MQTT connect attempt {Attempt} … failed, retrying in …" (TransportLog): the device backs off.</summary>
    private const int ConnectFailedEventId = 2002;

    /// <summary>ResilientSensor's "Slot {SlotId} sensor {Sensor} failed: {Fault}" events: the first after a quiet spell, then every one (Debug).</summary>
    private const int FirstFaultEventId = 2201;
    private const int EveryFaultEventId = 2204;

    /// <summary>ResilientSensor's per-minute count of faults: the tally and <c>--verbose</c>'s lines say it already.</summary>
    private const int FaultSummaryEventId = 2203;

    private readonly FaultTally _faults = faults;
    private readonly string _thingName = thingName;
    private readonly bool _logEveryFault = logEveryFault;
    private readonly Scale.FleetMetrics? _metrics = metrics;
    private readonly int _device = device;
    private readonly Scale.LogBudget? _budget = budget;
    private readonly Dictionary<string, object> _scope = new(StringComparer.Ordinal) { ["ThingName"] = thingName };

    public ILogger CreateLogger(string categoryName) => new DeviceLogger(inner.CreateLogger(categoryName), this);

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    public void Dispose()
    {
        // The inner factory belongs to the caller.
    }

    private sealed class DeviceLogger(ILogger inner, DeviceLoggerFactory owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

        // Debug is let through so every fault (EventId 2204) reaches Log and the tally; the inner logger still drops
        // other Debug lines below its level.
        public bool IsEnabled(LogLevel logLevel) => logLevel == LogLevel.Debug || inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Id == ConnectFailedEventId)
            {
                owner._metrics?.Disconnected(owner._device, "connect-failed");
            }

            if (eventId.Id is FirstFaultEventId or EveryFaultEventId)
            {
                var fault = state is IEnumerable<KeyValuePair<string, object?>> values
                    ? values.FirstOrDefault(v => v.Key == "Fault").Value as string
                    : null;
                owner._faults.Add(owner._thingName, fault);
                if (!owner._logEveryFault)
                {
                    return;
                }

                logLevel = LogLevel.Warning;
            }
            else if (eventId.Id == FaultSummaryEventId)
            {
                return;
            }

            if (logLevel == LogLevel.Warning && !owner._logEveryFault && owner._budget is { } budget && !budget.TryTake())
            {
                return;
            }

            using (inner.BeginScope(owner._scope))
            {
                inner.Log(logLevel, eventId, state, exception, formatter);
            }
        }
    }
}
