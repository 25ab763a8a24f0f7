using ShelfAgent.Config;
using ShelfAgent.Hardware;

namespace ShelfAgent.Cli;

/// <summary>What <c>sensors read</c> and <c>calibrate</c> share: loading agent.json with the sensor checks, finding slots, exit codes for hardware faults.</summary>
internal static class SlotCommandSupport
{
    /// <summary>Loads and checks the config; prints problems and returns null on failure.</summary>
    public static AgentOptions? Load(string path, TextWriter error)
    {
        var options = ConfigLoading.TryLoad(path, error, out _);
        if (options is null)
        {
            return null;
        }

        var problems = Sensors.SlotSensors.Validate(options.Slots).ToList();
        if (problems.Count > 0)
        {
            error.WriteLine(new ConfigException(options.SourceFile.Length > 0 ? options.SourceFile : path, problems).Message);
            return null;
        }

        return options;
    }

    /// <summary>The slot with this id (case-insensitive), or null after printing the ids there are.</summary>
    public static SlotOptions? Find(AgentOptions options, string id, string command, TextWriter error)
    {
        var slot = options.Slots.FirstOrDefault(s => string.Equals(s.Id, id, StringComparison.OrdinalIgnoreCase));
        if (slot is null)
        {
            error.WriteLine($"{command}: no slot \"{id}\" in {options.SourceFile} (slots: {string.Join(", ", options.Slots.Select(s => s.Id))})");
        }

        return slot;
    }

    /// <summary>True for faults handled by printing one line (bus, timeout, permission).</summary>
    public static bool IsHardwareFault(Exception e) => e is IOException or TimeoutException or UnauthorizedAccessException;

    /// <summary>EX_UNAVAILABLE when the interface is missing or forbidden, EX_IOERR for bus faults and timeouts.</summary>
    public static int ExitCodeFor(Exception e) => e switch
    {
        HardwareUnavailableException or HardwareAccessDeniedException or UnauthorizedAccessException => ExitCodes.Unavailable,
        _ => ExitCodes.IoError,
    };
}
