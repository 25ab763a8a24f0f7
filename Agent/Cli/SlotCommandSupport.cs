using ShelfAgent.Config;
using ShelfAgent.Hardware;
using ShelfAgent.Stock;

namespace ShelfAgent.Cli;

/// <summary>
/// What <c>sensors read</c> and <c>calibrate</c> share: loading agent.json with the sensor checks, finding slots, exit codes for
/// hardware faults.
/// </summary>
internal static class SlotCommandSupport
{
    /// <summary>
    /// Loads the config checking only the slots and their sensors (the loader runs each sensor's validator):
    /// these commands work before the device's certificate is installed. Prints problems; null on failure.
    /// </summary>
    public static AgentOptions? Load(string path, TextWriter error)
    {
        var options = ConfigLoading.TryLoad(path, error, out var warnings, ConfigUse.Slots);
        foreach (var warning in options is null ? [] : warnings)
        {
            error.WriteLine("warning: " + warning); // a misspelled sensor key silently keeps its default: say so here too
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
