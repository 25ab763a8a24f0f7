using ShelfAgent.Cli;

return await AgentCli.Create().Parse(args).InvokeAsync();
