using System.Diagnostics;
using System.Globalization;

namespace ShelfAgent.Simulator.Report;

/// <summary>The process's peak RSS (/proc/self/status VmHWM), CPU time and open-files limit (/proc/self/limits).</summary>
public static class ProcessUsage
{
    public static ProcessFigures Read(int devices, long messages, MemoryBreakdown? memory = null)
    {
        using var self = Process.GetCurrentProcess();
        var peakKb = StatusKb("VmHWM") ?? self.PeakWorkingSet64 / 1024;
        var cpu = self.TotalProcessorTime.TotalSeconds;
        return new ProcessFigures(
            Math.Round(peakKb / 1024.0, 1),
            Math.Round(cpu, 1),
            OpenFilesLimit(),
            devices == 0 ? 0 : Math.Round((double)peakKb / devices, 1),
            messages == 0 ? 0 : Math.Round(cpu / (messages / 1000.0), 4),
            memory);
    }

    public static long OpenFilesLimit()
    {
        try
        {
            var line = File.ReadLines("/proc/self/limits").FirstOrDefault(l => l.StartsWith("Max open files", StringComparison.Ordinal));
            var parts = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return parts is { Length: > 3 } && long.TryParse(parts[3], CultureInfo.InvariantCulture, out var soft) ? soft : -1;
        }
        catch (IOException)
        {
            return -1;
        }
    }

    /// <summary>A <c>/proc/self/status</c> value in kB (VmRSS, VmHWM, RssAnon…); null where there is none.</summary>
    internal static long? StatusKb(string key)
    {
        try
        {
            var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith(key + ":", StringComparison.Ordinal));
            var parts = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return parts is { Length: > 1 } && long.TryParse(parts[1], CultureInfo.InvariantCulture, out var kb) ? kb : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
