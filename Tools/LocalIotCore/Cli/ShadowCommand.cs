using System.CommandLine;
using System.Text.Json.Nodes;
using ShelfAgent.LocalIot.Control;

namespace ShelfAgent.LocalIot.Cli;

/// <summary>
/// <c>local-iot-core shadow desire|show</c>: the cloud side of a thing's classic shadow — change desired state (the
/// device hears update/delta) and look at desired, reported and the delta.
/// </summary>
internal static class ShadowCommand
{
    public static Command Create(Option<string> state) => new("shadow", "Classic shadows of the running core's things")
    {
        DesireCommand(state), ShowCommand(state),
    };

    private static Command DesireCommand(Option<string> state)
    {
        var thing = CliOptions.Thing();
        var desired = new Argument<string>("desired")
        {
            Description = "The desired change: inline JSON ('{\"Sampling\":{\"IntervalMs\":2000}}') or a file holding it; null removes a key",
        };
        var command = new Command("desire", "Change a thing's desired state, as UpdateThingShadow does (the device gets update/delta)") { thing, desired };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (ControlCommand.ReadObject(parse.GetValue(desired)!, out var problem) is not { } change)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"desire: {problem}").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            var request = new JsonObject { ["thingName"] = parse.GetValue(thing), ["state"] = new JsonObject { ["desired"] = change } };
            return await ControlCommand.RunAsync(parse, state, ControlOperation.UpdateShadow, request, async (_, reply) =>
            {
                await parse.InvocationConfiguration.Output.WriteLineAsync(
                    $"shadow of {parse.GetValue(thing)}: desired {change.ToJsonString()} accepted, version {reply["version"]}; the device gets the delta")
                    .ConfigureAwait(false);
                return ExitCodes.Ok;
            }, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static Command ShowCommand(Option<string> state)
    {
        var thing = CliOptions.Thing();
        var json = CliOptions.Json();
        var command = new Command("show", "A thing's shadow: desired, reported, delta and version (--json: with metadata)") { thing, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var request = new JsonObject { ["thingName"] = parse.GetValue(thing) };
            return await ControlCommand.RunAsync(parse, state, ControlOperation.GetShadow, request, async (_, reply) =>
            {
                var shown = parse.GetValue(json)
                    ? reply
                    : new JsonObject { ["state"] = reply["state"]?.DeepClone(), ["version"] = reply["version"]?.DeepClone() };
                shown.Remove("clientToken");
                await parse.InvocationConfiguration.Output.WriteLineAsync(shown.ToJsonString(ControlCommand.Indented)).ConfigureAwait(false);
                return ExitCodes.Ok;
            }, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }
}
