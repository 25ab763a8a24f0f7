using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using ShelfAgent.LocalIot.Control;

namespace ShelfAgent.LocalIot.Cli;

/// <summary>
/// <c>local-iot-core job create|show|list|cancel</c>: the cloud side of AWS IoT Jobs for one thing — queue a job
/// document (the device hears notify-next), follow its execution's status and statusDetails, cancel it.
/// </summary>
internal static class JobCommand
{
    private static readonly TimeSpan WaitBound = TimeSpan.FromMinutes(2);

    public static Command Create(Option<string> state) => new("job", "Jobs of the running core's things")
    {
        CreateCommand(state), ShowCommand(state), ListCommand(state), CancelCommand(state),
    };

    private static Command CreateCommand(Option<string> state)
    {
        var thing = CliOptions.Thing();
        var id = new Option<string>("--id") { Description = "Job id ([a-zA-Z0-9_-]{1,64}, not used before)", Required = true };
        var document = new Option<string>("--document", "-d")
        {
            Description = "The job document: inline JSON ('{\"operation\":\"config-update\",\"changes\":{…}}') or a file holding it",
            Required = true,
        };
        var wait = new Option<bool>("--wait", "-w") { Description = "Wait (up to 2 min) until the device finishes the job and show how it ended" };
        var command = new Command("create", "Queue a job for a thing (the device is notified on jobs/notify-next)") { thing, id, document, wait };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (ControlCommand.ReadObject(parse.GetValue(document)!, out var problem) is not { } body)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"create: --document: {problem}").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            var request = new JsonObject { ["thingName"] = parse.GetValue(thing), ["jobId"] = parse.GetValue(id), ["document"] = body };
            return await ControlCommand.RunAsync(parse, state, ControlOperation.CreateJob, request, async (client, reply) =>
            {
                var output = parse.InvocationConfiguration.Output;
                var execution = reply["execution"]!.AsObject();
                await output.WriteLineAsync($"job {execution["jobId"]} queued for {execution["thingName"]}").ConfigureAwait(false);
                return parse.GetValue(wait) ? await WaitAsync(parse, client, request, cancellationToken).ConfigureAwait(false) : ExitCodes.Ok;
            }, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static Command ShowCommand(Option<string> state)
    {
        var thing = CliOptions.Thing();
        var id = new Option<string>("--id") { Description = "Job id", Required = true };
        var json = CliOptions.Json();
        var command = new Command("show", "A job execution: status, statusDetails, the statuses it went through, its document") { thing, id, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var request = new JsonObject { ["thingName"] = parse.GetValue(thing), ["jobId"] = parse.GetValue(id) };
            return await ControlCommand.RunAsync(parse, state, ControlOperation.DescribeJob, request, async (_, reply) =>
            {
                var output = parse.InvocationConfiguration.Output;
                var execution = reply["execution"]!.AsObject();
                if (parse.GetValue(json))
                {
                    await output.WriteLineAsync(execution.ToJsonString(ControlCommand.Indented)).ConfigureAwait(false);
                    return ExitCodes.Ok;
                }

                await output.WriteLineAsync(Line(execution)).ConfigureAwait(false);
                await output.WriteLineAsync($"  document       {execution["jobDocument"]?.ToJsonString()}").ConfigureAwait(false);
                return ExitCodes.Ok;
            }, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static Command ListCommand(Option<string> state)
    {
        var thing = CliOptions.Thing();
        var json = CliOptions.Json();
        var command = new Command("list", "Every job execution of a thing, oldest first") { thing, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var request = new JsonObject { ["thingName"] = parse.GetValue(thing) };
            return await ControlCommand.RunAsync(parse, state, ControlOperation.ListJobs, request, async (_, reply) =>
            {
                var output = parse.InvocationConfiguration.Output;
                var executions = reply["executions"]!.AsArray();
                if (parse.GetValue(json))
                {
                    await output.WriteLineAsync(executions.ToJsonString(ControlCommand.Indented)).ConfigureAwait(false);
                }
                else if (executions.Count == 0)
                {
                    await output.WriteLineAsync($"no jobs for {parse.GetValue(thing)}").ConfigureAwait(false);
                }
                else
                {
                    foreach (var execution in executions)
                    {
                        var queued = DateTimeOffset.FromUnixTimeSeconds(execution!["queuedAt"]!.GetValue<long>()).ToLocalTime();
                        await output.WriteLineAsync(
                            $"{execution["jobId"],-24} {execution["status"],-12} queued {queued.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)}")
                            .ConfigureAwait(false);
                    }
                }

                return ExitCodes.Ok;
            }, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static Command CancelCommand(Option<string> state)
    {
        var thing = CliOptions.Thing();
        var id = new Option<string>("--id") { Description = "Job id", Required = true };
        var command = new Command("cancel", "Cancel a job execution that has not finished (the device is notified)") { thing, id };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var request = new JsonObject { ["thingName"] = parse.GetValue(thing), ["jobId"] = parse.GetValue(id) };
            return await ControlCommand.RunAsync(parse, state, ControlOperation.CancelJob, request, async (_, reply) =>
            {
                await parse.InvocationConfiguration.Output.WriteLineAsync(Line(reply["execution"]!.AsObject())).ConfigureAwait(false);
                return ExitCodes.Ok;
            }, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>Asks for the execution every half second until it has ended (or the bound), printing each new status.</summary>
    private static async Task<int> WaitAsync(ParseResult parse, ControlClient client, JsonObject created, CancellationToken cancellationToken)
    {
        var output = parse.InvocationConfiguration.Output;
        var deadline = DateTime.UtcNow + WaitBound;
        string? shown = null;
        while (DateTime.UtcNow < deadline)
        {
            var reply = await client.RequestAsync(ControlOperation.DescribeJob,
                new JsonObject { ["thingName"] = created["thingName"]!.DeepClone(), ["jobId"] = created["jobId"]!.DeepClone() },
                cancellationToken).ConfigureAwait(false);
            if (!reply.Accepted)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"create: {reply.Problem}").ConfigureAwait(false);
                return ExitCodes.Refused;
            }

            var execution = reply.Body["execution"]!.AsObject();
            var status = execution["status"]!.GetValue<string>();
            if (status != shown)
            {
                shown = status;
                await output.WriteLineAsync(Line(execution)).ConfigureAwait(false);
            }

            if (status is not ("QUEUED" or "IN_PROGRESS"))
            {
                return status == "SUCCEEDED" ? ExitCodes.Ok : ExitCodes.Refused;
            }

            await Task.Delay(500, cancellationToken).ConfigureAwait(false);
        }

        await parse.InvocationConfiguration.Error.WriteLineAsync(
            $"create: the job is still {shown} after {WaitBound.TotalMinutes:0} min (is the device connected, with jobs?)").ConfigureAwait(false);
        return ExitCodes.Refused;
    }

    /// <summary>"job cfg-1 on demo-shelf-01: SUCCEEDED (QUEUED → IN_PROGRESS → SUCCEEDED)" and its statusDetails.</summary>
    private static string Line(JsonObject execution)
    {
        // Each update of an execution is a step of its history; a person wants the statuses it went through.
        var statuses = execution["history"]!.AsArray().Select(h => h!.GetValue<string>()).ToList();
        var history = string.Join(" → ", statuses.Where((status, i) => i == 0 || status != statuses[i - 1]));
        var details = execution["statusDetails"]!.AsObject().Select(d => $"{d.Key}={d.Value}").ToList();
        return $"job {execution["jobId"]} on {execution["thingName"]}: {execution["status"]} ({history})"
            + (details.Count == 0 ? "" : $"\n  statusDetails  {string.Join("  ", details)}");
    }
}
