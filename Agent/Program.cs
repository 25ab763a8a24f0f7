using ShelfAgent.Cli;

var parsed = AgentCli.Create().Parse(args);
var status = await parsed.InvokeAsync();
// A command line that does not parse prints its errors and the help, and exits EX_USAGE like every other usage error.
return parsed.Errors.Count > 0 ? ExitCodes.Usage : status;
