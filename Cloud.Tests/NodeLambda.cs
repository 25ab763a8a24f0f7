using System.Diagnostics;
using System.Text.Json.Nodes;

namespace ShelfAgent.Cloud.Tests;

/// <summary>
/// Runs one of the stack's real Lambda functions (the code the template inlines, <see cref="LambdaSource.Read"/>)
/// under node, the runtime the CDK already needs. AWS SDK v3 packages the function requires are replaced by a
/// fake at the package boundary (node_modules/@aws-sdk/client-*): every <c>send(command)</c> is recorded and
/// answered from the test's canned responses per command name — an error answer throws an error whose
/// <c>name</c> is the AWS error code, as the SDK does.
/// </summary>
public sealed class NodeLambda : IDisposable
{
    private const string FakeSdk = """
        'use strict';
        const classes = {};
        class Client {
          async send(command) {
            const state = globalThis.__fakeAws;
            const name = command.constructor.name;
            state.calls.push({ command: name, input: command.input });
            const queue = state.responses[name];
            const next = Array.isArray(queue) ? queue.shift() : queue;
            if (next === undefined) throw new Error('no fake response for ' + name);
            if (next.error) { const e = new Error(next.message || next.error); e.name = next.error; throw e; }
            const result = { ...(next.result || {}) };
            if (next.body !== undefined) result.Body = { transformToString: async () => next.body };
            return result;
          }
        }
        module.exports = new Proxy({}, {
          get: (_, name) => {
            if (typeof name !== 'string') return undefined;
            if (name.endsWith('Client')) return Client;
            classes[name] ??= ({ [name]: class { constructor(input) { this.input = input; } } })[name];
            return classes[name];
          },
        });
        """;

    // Buffers (Kinesis Data) are recorded as their UTF-8 text.
    private const string Harness =
        "console.log=(...a)=>console.error(...a);" +
        "const rep=(k,v)=>v&&v.type==='Buffer'&&Array.isArray(v.data)?Buffer.from(v.data).toString('utf8'):v;" +
        "let s='';process.stdin.on('data',d=>s+=d).on('end',async()=>{const q=JSON.parse(s);" +
        "globalThis.__fakeAws={calls:[],responses:q.fakes||{}};let out;" +
        // fetch (the CloudFormation custom resource answer) is recorded as a call named "fetch" and answered 200.
        "globalThis.fetch=async(url,o)=>{globalThis.__fakeAws.calls.push({command:'fetch',input:{url,method:o.method," +
        "body:Buffer.from(o.body).toString('utf8'),headers:o.headers||{}}});return {ok:true,status:200};};" +
        "try{out={result:await require('./index.js').handler(q.event)};}catch(e){out={error:e.name+': '+e.message};}" +
        "out.calls=globalThis.__fakeAws.calls;process.stdout.write(JSON.stringify(out,rep));});";

    private readonly string _dir = Directory.CreateTempSubdirectory("shelfagent-lambda-").FullName;

    /// <summary>Writes the function and the fake SDK packages it may require.</summary>
    public NodeLambda(string file, params string[] sdkPackages)
    {
        File.WriteAllText(Path.Combine(_dir, "index.js"), LambdaSource.Read(file));
        foreach (var package in sdkPackages)
        {
            var folder = Path.Combine(_dir, "node_modules", "@aws-sdk", package);
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, "index.js"), FakeSdk);
        }
    }

    /// <summary>Replaces the fake of one AWS SDK package by <paramref name="code"/> (e.g. <see cref="SigningKms"/>).</summary>
    public NodeLambda WithPackage(string package, string code)
    {
        var folder = Path.Combine(_dir, "node_modules", "@aws-sdk", package);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "index.js"), code);
        return this;
    }

    /// <summary>The function's answer, the SDK calls it made, an error if it threw, and what it logged.</summary>
    public sealed record Invocation(JsonNode? Result, JsonArray Calls, string? Error, string Log);

    /// <summary>Invokes the handler once.</summary>
    public async Task<Invocation> InvokeAsync(JsonNode evt, IDictionary<string, string>? environment = null, JsonObject? fakes = null)
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = _dir,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        start.ArgumentList.Add("-e");
        start.ArgumentList.Add(Harness);
        using var node = Process.Start(start)!;
        var request = new JsonObject { ["event"] = evt.DeepClone(), ["fakes"] = fakes?.DeepClone() ?? new JsonObject() };
        var stdout = node.StandardOutput.ReadToEndAsync();
        var stderr = node.StandardError.ReadToEndAsync();
        await node.StandardInput.WriteAsync(request.ToJsonString());
        node.StandardInput.Close();
        var output = await stdout;
        var log = await stderr;
        await node.WaitForExitAsync();
        Assert.True(node.ExitCode == 0, log);
        var parsed = JsonNode.Parse(output)!;
        return new Invocation(parsed["result"], parsed["calls"]!.AsArray(), parsed["error"]?.GetValue<string>(), log);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
