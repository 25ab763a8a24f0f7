using System.Diagnostics;

namespace ShelfAgent.Tests.TestSupport;

/// <summary>
/// Validates JSON documents against a schema in docs/ with ajv (JSON Schema 2020-12) under node: an
/// independent validator, so our encoder is not checked by our own reading of the schema.
/// </summary>
public static class JsonSchemaValidator
{
    private const string Script = """
        const fs = require('fs');
        const Ajv2020 = require('ajv/dist/2020').default;
        const addFormats = require('ajv-formats');
        const ajv = new Ajv2020({ allErrors: true, strict: false });
        addFormats(ajv);
        const validate = ajv.compile(JSON.parse(fs.readFileSync(process.argv[1], 'utf8')));
        const docs = fs.readFileSync(process.argv[2], 'utf8').split('\n').filter(l => l.trim().length > 0);
        let bad = 0;
        docs.forEach((d, i) => {
          if (!validate(JSON.parse(d))) { bad++; console.log(`document ${i}: ${ajv.errorsText(validate.errors)}`); }
        });
        console.log(`validated ${docs.length} documents, ${bad} invalid`);
        process.exit(bad === 0 ? 0 : 1);
        """;

    /// <summary>Returns null when every document is valid, else ajv's error text.</summary>
    public static async Task<string?> ValidateAsync(string schemaFileName, IEnumerable<string> jsonDocuments)
    {
        var schema = Path.Combine(RepoPaths.Root, "docs", schemaFileName);
        using var dir = new TempDirectory("schema");
        var docs = dir.File("docs.jsonl");
        await File.WriteAllLinesAsync(docs, jsonDocuments.Select(d => d.ReplaceLineEndings(" ")));
        var start = new ProcessStartInfo("node", ["-e", Script, schema, docs])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["NODE_PATH"] = RepoPaths.NodeModules;
        using var node = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        var output = await node.StandardOutput.ReadToEndAsync();
        var error = await node.StandardError.ReadToEndAsync();
        await node.WaitForExitAsync();
        if (error.Contains("Cannot find module", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("ajv is not installed: run ./test.sh (npm install --prefix .tools ajv ajv-formats). " + error);
        }

        return node.ExitCode == 0 ? null : output + error;
    }
}
