using ShelfAgent.LocalLake.Cli;

var parsed = LakeCli.Create().Parse(args);
var status = await parsed.InvokeAsync().ConfigureAwait(false);
return parsed.Errors.Count > 0 ? 64 : status;
