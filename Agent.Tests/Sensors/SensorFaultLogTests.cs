using ShelfAgent.Sensors;

namespace ShelfAgent.Tests.Sensors;

public sealed class SensorFaultLogTests
{
    private static readonly DateTimeOffset T = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private static DateTimeOffset At(double seconds) => T.AddSeconds(seconds);

    [Fact]
    public void The_first_fault_is_logged_and_later_ones_are_counted_until_the_window_ends()
    {
        var log = new SensorFaultLog();

        var first = log.Fault(At(0), "timeout: a", 1);
        var quiet = new[] { log.Good(At(1)), log.Fault(At(10), "timeout: b", 1), log.Good(At(11)), log.Fault(At(30), "timeout: c", 1), log.Good(At(59)) };
        var summary = log.Good(At(60));

        Assert.Equal(SensorFaultEntryKind.First, first!.Kind);
        Assert.Equal("timeout: a", first.LastFault);
        Assert.All(quiet, Assert.Null);
        Assert.Equal(new SensorFaultEntry(SensorFaultEntryKind.Summary, 2, 4, TimeSpan.FromSeconds(60), "timeout: c", 0, 3, TimeSpan.FromSeconds(60)), summary);
    }

    [Fact]
    public void A_flaky_sensor_gets_one_line_a_minute_not_one_per_fault()
    {
        var log = new SensorFaultLog();
        var lines = new List<SensorFaultEntry>();

        // One read a second for ten minutes, every third one failing (the demo's B3 fails one in seven).
        for (var s = 0; s < 600; s++)
        {
            if ((s % 3 == 0 ? log.Fault(At(s), "timeout: not ready", 1) : log.Good(At(s))) is { } line)
            {
                lines.Add(line);
            }
        }

        Assert.Equal(SensorFaultEntryKind.First, lines[0].Kind);
        Assert.Equal(10, lines.Count); // the first fault, then a summary each minute
        Assert.All(lines.Skip(1), l => Assert.Equal(SensorFaultEntryKind.Summary, l.Kind));
        Assert.Equal(200, lines.Sum(l => l.Faults) + log.Flush(At(600))!.Faults);
    }

    [Fact]
    public void A_whole_window_without_a_fault_is_a_recovery_and_the_next_fault_is_a_first_again()
    {
        var log = new SensorFaultLog();
        log.Fault(At(0), "bus: nack", 1);

        var atWindowEnd = log.Good(At(61)); // the window held no further fault
        var again = log.Fault(At(70), "bus: nack", 1);

        Assert.Equal(SensorFaultEntryKind.Recovered, atWindowEnd!.Kind);
        Assert.Equal(1, atWindowEnd.Total);
        Assert.Equal(SensorFaultEntryKind.First, again!.Kind);
    }

    [Fact]
    public void A_dead_sensor_is_summed_up_less_and_less_often_up_to_an_hour()
    {
        var log = new SensorFaultLog();
        var at = new List<double>();

        // Retried every 30 s for a day, never reading.
        for (var s = 0; s <= 86_400; s += 30)
        {
            if (log.Fault(At(s), "timeout: not ready", (s / 30) + 1) is { } line)
            {
                at.Add(s);
            }
        }

        var gaps = at.Zip(at.Skip(1), (a, b) => b - a).ToList();
        Assert.Equal([60, 120, 240, 480, 960, 1920, 3600, 3600], gaps.Take(8));
        Assert.All(gaps.Skip(6), g => Assert.Equal(3600, g));
        Assert.InRange(at.Count, 25, 32); // not 2,880 lines
    }

    [Fact]
    public void A_dead_sensor_that_reads_again_is_summed_up_at_once_and_recovers_a_window_later()
    {
        var log = new SensorFaultLog();
        for (var s = 0; s <= 1800; s += 30)
        {
            log.Fault(At(s), "timeout: not ready", (s / 30) + 1); // windows stretched to 8 min and more
        }

        var comeback = log.Good(At(1801));
        var recovered = log.Good(At(1862));

        Assert.Equal(SensorFaultEntryKind.Summary, comeback!.Kind);
        Assert.Equal(0, comeback.InARow);
        Assert.Equal(SensorFaultEntryKind.Recovered, recovered!.Kind);
    }

    [Fact]
    public void Flush_reports_the_faults_not_yet_logged_and_nothing_when_there_are_none()
    {
        var log = new SensorFaultLog();
        Assert.Null(log.Flush(At(0)));
        log.Fault(At(0), "timeout: a", 1);
        Assert.Null(log.Flush(At(1)));
        log.Fault(At(5), "timeout: b", 1);

        var flushed = log.Flush(At(6));

        Assert.Equal((SensorFaultEntryKind.Summary, 1, -1), (flushed!.Kind, flushed.Faults, flushed.InARow));
    }
}
