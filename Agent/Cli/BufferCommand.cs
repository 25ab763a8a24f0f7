using System.Buffers;
using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using ShelfAgent.Config;
using ShelfAgent.Outbox;

namespace ShelfAgent.Cli;

/// <summary>
/// <c>shelf-agent buffer stats|export</c>: look into the outbox file, read-only, while the agent runs
/// (docs/buffer.md, "Field commands"). The file is named by <c>--path</c>, or taken from <c>Buffer:Path</c> in
/// <c>--config</c>.
/// </summary>
public static class BufferCommand
{
    /// <summary>Builds the command with its two subcommands.</summary>
    public static Command Create()
    {
        var command = new Command("buffer", "Inspect the store-and-forward buffer (works while the agent runs)");
        command.Subcommands.Add(Stats());
        command.Subcommands.Add(Export());
        return command;
    }

    /// <summary>Parses <c>--since</c>: an ISO-8601 time (UTC unless it says otherwise) or an age such as 90m, 36h, 7d.</summary>
    public static bool TryParseSince(string text, DateTimeOffset now, out DateTimeOffset since)
    {
        since = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim();
        var unit = text[^1];
        if (unit is 's' or 'm' or 'h' or 'd'
            && double.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
        {
            since = now - unit switch
            {
                's' => TimeSpan.FromSeconds(amount),
                'm' => TimeSpan.FromMinutes(amount),
                'h' => TimeSpan.FromHours(amount),
                _ => TimeSpan.FromDays(amount),
            };
            return true;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out since);
    }

    /// <summary>The human-readable stats block, as plain text.</summary>
    public static string FormatStats(OutboxStats stats, int liveWindowSeconds) => StatsTable(stats, liveWindowSeconds).ToPlainText();

    /// <summary>The stats as a table of labels and values.</summary>
    public static TextTable StatsTable(OutboxStats stats, int liveWindowSeconds)
    {
        ArgumentNullException.ThrowIfNull(stats);
        var c = CultureInfo.InvariantCulture;
        var unreported = stats.DroppedPending.Count == 0 ? "none" : string.Join(", ", stats.DroppedPending.Select(p => $"{p.Key}={p.Value}"));
        return new TextTable(new TextColumn("what"), new TextColumn("value")) { ShowHeadings = false }
            .Add("buffer", string.Create(c, $"{stats.Path} ({stats.FileBytes / 1024.0 / 1024.0:0.0} MB with its WAL)"))
            .Add("events", string.Create(c, $"{stats.EventDepth:N0} events and alerts waiting (sent first)"))
            .Add("live", string.Create(c, $"{stats.LiveDepth:N0} readings from the last {liveWindowSeconds} s"))
            .Add("backlog", Noted(string.Create(c, $"{stats.BacklogDepth:N0} older readings (sent oldest first)"), stats.BacklogDepth > 0))
            .Add("oldest", stats.OldestReadingAge is { } age ? FormatAge(age) + " old" : "none")
            .Add("evicted", Noted(
                string.Create(c, $"{stats.EvictedTotal:N0} readings over the file's life (buffer or disk full); not yet reported: {unreported}"),
                stats.EvictedTotal > 0))
            .Add("disk full", stats.DiskFull is { } full ? Noted(full.Describe(), full.Ongoing) : new TextCell("never", Tone.Normal))
            .Add("recovered", Noted(string.Create(c, $"{stats.RecoveredFiles:N0} corrupt buffer file(s) moved aside"), stats.RecoveredFiles > 0))
            .Add("next seq", stats.NextSeq.ToString(c));
    }

    private static TextCell Noted(string text, bool warn) => new(text, warn ? Tone.Warning : Tone.Normal);

    private static Command Stats()
    {
        var (config, path) = (CliOptions.Config(), PathOption());
        var json = new Option<bool>("--json") { Description = "Print the counters as one JSON object" };
        var command = new Command("stats", "Depth per lane, oldest reading's age, file size, evicted and recovered counts") { config, path, json };
        command.SetAction(async (parse, ct) =>
        {
            var (file, liveWindow) = ResolvePath(parse, config, path);
            if (file is null)
            {
                return ExitCodes.Config;
            }

            try
            {
                var stats = await SqliteOutbox.ReadStatsAsync(file, TimeProvider.System, liveWindow, ct).ConfigureAwait(false);
                var output = parse.InvocationConfiguration.Output;
                if (parse.GetValue(json))
                {
                    output.WriteLine(StatsJson(stats));
                }
                else
                {
                    StatsTable(stats, liveWindow).WriteTo(output);
                }

                return ExitCodes.Ok;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or SqliteException)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"buffer stats: {e.Message}{CorruptHint(e)}").ConfigureAwait(false);
                return ExitCodes.IoError;
            }
        });
        return command;
    }

    // SQLITE_CORRUPT (11) and SQLITE_NOTADB (26): the agent moves such a file aside at its next start.
    private static string CorruptHint(Exception e) => e is SqliteException { SqliteErrorCode: 11 or 26 }
        ? " The buffer file is damaged: restart the agent (it moves the file aside as <path>.corrupt-<time>, kept for forensics, and starts a fresh one), " +
          "or copy it away first to keep its exact bytes."
        : "";

    private static Command Export()
    {
        var (config, path) = (CliOptions.Config(), PathOption());
        var since = new Option<string>("--since") { Description = "From this time (ISO-8601, UTC by default) or age (90m, 36h, 7d)", Required = true };
        var format = new Option<string>("--format") { Description = "Output format", DefaultValueFactory = _ => "jsonl" };
        format.AcceptOnlyFromAmong("jsonl");
        var command = new Command("export", "Write buffered readings (and events) as JSON lines, for pulling data by hand when the uplink is down")
        {
            config, path, since, format,
        };
        command.SetAction(async (parse, ct) =>
        {
            var error = parse.InvocationConfiguration.Error;
            if (!TryParseSince(parse.GetValue(since)!, DateTimeOffset.UtcNow, out var from))
            {
                await error.WriteLineAsync($"buffer export: --since '{parse.GetValue(since)}' is neither an ISO-8601 time nor an age like 36h")
                    .ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            var (file, _) = ResolvePath(parse, config, path);
            if (file is null)
            {
                return ExitCodes.Config;
            }

            try
            {
                await WriteJsonLinesAsync(file, from, parse.InvocationConfiguration.Output, ct).ConfigureAwait(false);
                return ExitCodes.Ok;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or SqliteException)
            {
                await error.WriteLineAsync($"buffer export: {e.Message}{CorruptHint(e)}").ConfigureAwait(false);
                return ExitCodes.IoError;
            }
        });
        return command;
    }

    private static async Task WriteJsonLinesAsync(string file, DateTimeOffset from, TextWriter output, CancellationToken ct)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        await using var writer = new Utf8JsonWriter(buffer);
        async Task LineAsync()
        {
            await writer.FlushAsync(ct).ConfigureAwait(false);
            await output.WriteLineAsync(Encoding.UTF8.GetString(buffer.WrittenSpan)).ConfigureAwait(false);
            buffer.ResetWrittenCount();
            writer.Reset(buffer);
        }

        await foreach (var e in SqliteOutbox.ExportEventsAsync(file, from, ct).ConfigureAwait(false))
        {
            BufferExportFormat.WriteEvent(writer, e);
            await LineAsync().ConfigureAwait(false);
        }

        await foreach (var r in SqliteOutbox.ExportAsync(file, from, ct).ConfigureAwait(false))
        {
            BufferExportFormat.WriteReading(writer, r);
            await LineAsync().ConfigureAwait(false);
        }

        await output.FlushAsync(ct).ConfigureAwait(false);
    }

    private static string StatsJson(OutboxStats stats)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("path"u8, stats.Path);
            w.WriteNumber("events"u8, stats.EventDepth);
            w.WriteNumber("live"u8, stats.LiveDepth);
            w.WriteNumber("backlog"u8, stats.BacklogDepth);
            if (stats.OldestReadingAge is { } age)
            {
                w.WriteNumber("oldestAgeSeconds"u8, Math.Round(age.TotalSeconds, 3));
            }
            else
            {
                w.WriteNull("oldestAgeSeconds"u8);
            }

            w.WriteNumber("fileBytes"u8, stats.FileBytes);
            w.WriteNumber("evicted"u8, stats.EvictedTotal);
            w.WriteStartObject("droppedPending"u8);
            foreach (var (slot, n) in stats.DroppedPending)
            {
                w.WriteNumber(slot, n);
            }

            w.WriteEndObject();
            if (stats.DiskFull is { } full)
            {
                w.WriteStartObject("diskFull"u8);
                w.WriteString("since"u8, full.Since);
                w.WriteNumber("evicted"u8, full.Evicted);
                if (full.Until is { } until)
                {
                    w.WriteString("until"u8, until);
                }
                else
                {
                    w.WriteNull("until"u8);
                }

                w.WriteString("text"u8, full.Describe());
                w.WriteEndObject();
            }
            else
            {
                w.WriteNull("diskFull"u8);
            }

            w.WriteNumber("recovered"u8, stats.RecoveredFiles);
            w.WriteNumber("nextSeq"u8, stats.NextSeq);
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static Option<string?> PathOption() => new("--path", "-p")
    {
        Description = "The buffer file itself (instead of reading Buffer:Path from --config)",
    };

    // --path wins; otherwise Buffer:Path (and the live window) from the configuration (problems are printed, EX_CONFIG).
    private static (string? Path, int LiveWindowSeconds) ResolvePath(ParseResult parse, Option<string> config, Option<string?> path)
    {
        var defaults = new OutboxOptions();
        if (parse.GetValue(path) is { Length: > 0 } direct)
        {
            return (direct, defaults.LiveWindowSeconds);
        }

        // Only Buffer:* matters here: a device without certificates or slots can still show its buffer.
        var options = ConfigLoading.TryLoad(parse.GetValue(config)!, parse.InvocationConfiguration.Error, out _, ConfigUse.None);
        return options is null ? (null, 0) : (options.Buffer.Path, options.Buffer.LiveWindowSeconds);
    }

    private static string FormatAge(TimeSpan age) => age.TotalDays >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{(int)age.TotalDays}d {age:hh\\:mm\\:ss}")
        : age.ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture);
}
