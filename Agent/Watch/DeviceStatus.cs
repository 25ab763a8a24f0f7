using System.Globalization;

namespace ShelfAgent.Watch;

/// <summary>
/// One device's connection and buffer as the viewer can tell them: online or offline from the retained status
/// topic (<c>{"online":true,…}</c> after each connect, the last will <c>{"online":false}</c>), how long ago telemetry
/// last arrived, and the buffer's depth when the device's shadow report or its buffer file says it.
/// </summary>
public sealed class DeviceStatus(string thing)
{
    /// <summary>Telemetry older than this is called out: the agent publishes every few seconds while connected.</summary>
    public static readonly TimeSpan Quiet = TimeSpan.FromMinutes(1);

    /// <summary>The device.</summary>
    public string Thing => thing;

    /// <summary>True or false from the status topic; null before a status message arrived.</summary>
    public bool? Online { get; private set; }

    /// <summary>Since when (the message's ts, else when the viewer got it).</summary>
    public DateTimeOffset? Since { get; private set; }

    /// <summary>The agent's version from its online message.</summary>
    public string? Version { get; private set; }

    /// <summary>True when the offline message is the bare last will (the broker's, not the agent's).</summary>
    public bool LastWill { get; private set; }

    /// <summary>When the viewer last got a telemetry message.</summary>
    public DateTimeOffset? LastTelemetry { get; private set; }

    /// <summary>True when the last telemetry message carried backlog (a reading older than 60 s when it was sent).</summary>
    public bool Backlog { get; private set; }

    /// <summary>The buffer's depth, when known.</summary>
    public BufferDepth? Buffer { get; set; }

    /// <summary>True when a person should look: offline, or quiet for longer than <see cref="Quiet"/>.</summary>
    public bool NeedsAttention(DateTimeOffset now) => Online == false || (Online == true && (LastTelemetry is not { } t || now - t > Quiet));

    /// <summary>A status message.</summary>
    public void Status(bool online, DateTimeOffset at, string? version, bool lastWill)
        => (Online, Since, Version, LastWill) = (online, at, version, lastWill);

    /// <summary>A telemetry message arrived at <paramref name="at"/>.</summary>
    public void Telemetry(DateTimeOffset at, bool backlog) => (LastTelemetry, Backlog) = (at, backlog);

    /// <summary>"demo-shelf-01: online since 14:05:09 (shelf-agent 0.1.0) · telemetry 2 s ago · buffer 12 waiting …".</summary>
    public string Line(LocalTime clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        var connection = Online switch
        {
            true => $"online since {clock.Clock(Since)}{(Version is null ? "" : $" (shelf-agent {Version})")}",
            false when LastWill
                => $"OFFLINE since {clock.Clock(Since)} (the broker published the agent's last will: it vanished without an orderly disconnect)",
            false => $"offline since {clock.Clock(Since)}",
            null => "connection not known yet (no status message: the agent publishes one, retained, on every connect)",
        };
        var telemetry = LastTelemetry is not { } t ? "no telemetry yet"
            : clock.Now - t > Quiet ? $"no telemetry for {LocalTime.Span(clock.Now - t)}"
            : $"telemetry {LocalTime.Span(clock.Now - t)} ago{(Backlog ? " (sending backlog)" : "")}";
        return $"{thing}: {connection} · {telemetry} · {BufferText(clock)}";
    }

    private string BufferText(LocalTime clock)
    {
        if (Buffer is not { } b)
        {
            return "buffer depth not known here (the agent publishes it only in its device shadow; on the device, --config agent.json reads its buffer file)";
        }

        var c = CultureInfo.InvariantCulture;
        var oldest = b.OldestAge is { } age ? $", oldest {LocalTime.Span(age)}" : "";
        var lanes = b.Lanes is null ? "" : $" ({b.Lanes})";
        return string.Create(c, $"buffer {b.Waiting:N0} waiting{lanes}{oldest}, from the {b.Source} {LocalTime.Span(clock.Now - b.ReadAt)} ago");
    }
}
