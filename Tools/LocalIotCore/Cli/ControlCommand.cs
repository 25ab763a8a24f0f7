using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using ShelfAgent.LocalIot.Control;

namespace ShelfAgent.LocalIot.Cli;

/// <summary>Runs one control request against the core of a state folder, turning what can go wrong into a line and an exit code.</summary>
internal static class ControlCommand
{
    public static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Connects, sends, and hands an accepted answer to <paramref name="accepted"/>; prints a rejection and returns 1.</summary>
    public static async Task<int> RunAsync(ParseResult parse, Option<string> state, ControlOperation operation, JsonObject request,
        Func<ControlClient, JsonObject, Task<int>> accepted, CancellationToken cancellationToken)
    {
        var error = parse.InvocationConfiguration.Error;
        try
        {
            var client = await ControlClient.ConnectAsync(parse.GetValue(state)!, cancellationToken).ConfigureAwait(false);
            await using (client.ConfigureAwait(false))
            {
                var reply = await client.RequestAsync(operation, request, cancellationToken).ConfigureAwait(false);
                if (!reply.Accepted)
                {
                    await error.WriteLineAsync($"{parse.CommandResult.Command.Name}: refused: {reply.Problem}").ConfigureAwait(false);
                    return ExitCodes.Refused;
                }

                return await accepted(client, reply.Body).ConfigureAwait(false);
            }
        }
        catch (CoreNotRunningException e)
        {
            await error.WriteLineAsync(e.Message).ConfigureAwait(false);
            return ExitCodes.Unavailable;
        }
        catch (Exception e) when (e is TimeoutException or InvalidDataException or IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"{parse.CommandResult.Command.Name}: {e.Message}").ConfigureAwait(false);
            return ExitCodes.IoError;
        }
    }

    /// <summary>Inline JSON (starts with '{'), or the path of a file that holds it; null with a problem otherwise.</summary>
    public static JsonObject? ReadObject(string text, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(text);
        problem = null;
        try
        {
            var json = text.TrimStart().StartsWith('{') ? text : File.ReadAllText(text);
            if (JsonNode.Parse(json) is JsonObject value)
            {
                return value;
            }

            problem = "not a JSON object";
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            problem = e.Message;
        }

        return null;
    }

    /// <summary>key=value pairs, each split at its first '='; null with the bad one otherwise.</summary>
    public static Dictionary<string, string>? Pairs(IEnumerable<string> values, out string? problem)
    {
        problem = null;
        var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            var equals = value.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                problem = $"'{value}' is not KEY=VALUE";
                return null;
            }

            pairs[value[..equals]] = value[(equals + 1)..];
        }

        return pairs;
    }
}
