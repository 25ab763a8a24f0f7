using System.CommandLine;
using ShelfAgent.LocalIot.Cli;

var parsed = CoreCli.Create().Parse(args);
// Stopping takes the service's connection and mosquitto down in order: give it more than the default 2 s after Ctrl-C/SIGTERM.
var status = await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(20) }).ConfigureAwait(false);
return parsed.Errors.Count > 0 ? 64 : status;
