using System.Text;

namespace ShelfAgent.Cli;

/// <summary>Follows the agent's console log like <c>tail -F</c>, passing on its warnings and errors (for <c>watch --log</c>).</summary>
internal static class AgentLogFollower
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);

    /// <summary>Until <paramref name="ct"/>: each new warning or error line, as <see cref="WatchCommand.AgentLogLine"/> shows it.</summary>
    public static async Task FollowAsync(string path, Action<string> shown, CancellationToken ct)
    {
        long position = 0;
        var pending = new StringBuilder();
        try
        {
            while (!ct.IsCancellationRequested)
            {
                if (File.Exists(path))
                {
                    var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                    await using (stream.ConfigureAwait(false))
                    {
                        position = stream.Length < position ? 0 : position; // truncated: a new run
                        stream.Seek(position, SeekOrigin.Begin);
                        using var reader = new StreamReader(stream, Encoding.UTF8);
                        pending.Append(await reader.ReadToEndAsync(ct).ConfigureAwait(false));
                        position = stream.Position;
                    }

                    var text = pending.ToString();
                    var last = text.LastIndexOf('\n');
                    if (last >= 0)
                    {
                        foreach (var line in text[..last].Split('\n'))
                        {
                            if (WatchCommand.AgentLogLine(line.TrimEnd('\r')) is { } warning)
                            {
                                shown(warning);
                            }
                        }

                        pending.Clear().Append(text[(last + 1)..]);
                    }
                }

                await Task.Delay(Poll, ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
