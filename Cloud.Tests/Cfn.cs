using System.Text.Json.Nodes;

namespace ShelfAgent.Cloud.Tests;

/// <summary>
/// Renders CloudFormation values as readable strings so tests compare exact ARNs:
/// {"Fn::Join":["",["arn:",{"Ref":"AWS::Partition"},…]]} → "arn:${AWS::Partition}:…",
/// {"Ref":"X"} → "${X}", {"Fn::GetAtt":["X","Arn"]} → "${X.Arn}".
/// </summary>
public static class Cfn
{
    public static string Render(JsonNode? node) => node switch
    {
        null => "",
        JsonValue v => v.ToString(),
        JsonObject o when o["Ref"] is JsonNode r => "${" + r.GetValue<string>() + "}",
        JsonObject o when o["Fn::GetAtt"] is JsonArray a => "${" + a[0]!.GetValue<string>() + "." + a[1]!.GetValue<string>() + "}",
        JsonObject o when o["Fn::Join"] is JsonArray j =>
            string.Join(j[0]!.GetValue<string>(), j[1]!.AsArray().Select(Render)),
        _ => node.ToJsonString(),
    };

    /// <summary>A string or array value as a list of rendered strings.</summary>
    public static IReadOnlyList<string> List(JsonNode? node) => node switch
    {
        null => [],
        JsonArray a => a.Select(Render).ToList(),
        _ => [Render(node)],
    };

    /// <summary>Statements of a policy document as (actions, resources) with rendered resources.</summary>
    public static IReadOnlyList<(IReadOnlyList<string> Actions, IReadOnlyList<string> Resources, JsonObject Raw)> Statements(JsonNode document) =>
        document["Statement"]!.AsArray()
            .Select(s => (List(s!["Action"]), List(s["Resource"]), s.AsObject()))
            .ToList();
}
