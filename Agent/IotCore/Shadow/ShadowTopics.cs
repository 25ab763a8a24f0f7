namespace ShelfAgent.IotCore.Shadow;

/// <summary>
/// The classic (unnamed) shadow's topics of one thing (AWS IoT Developer Guide, "Device Shadow MQTT topics"):
/// requests on <c>update</c> and <c>get</c> (answered on <c>/accepted</c> and <c>/rejected</c>), desired changes on
/// <c>update/delta</c>.
/// </summary>
public sealed record ShadowTopics(string ThingName)
{
    private string Prefix => $"$aws/things/{ThingName}/shadow";

    /// <summary><c>$aws/things/&lt;thing&gt;/shadow/update</c>.</summary>
    public string Update => $"{Prefix}/update";

    /// <summary><c>$aws/things/&lt;thing&gt;/shadow/get</c>.</summary>
    public string Get => $"{Prefix}/get";

    /// <summary><c>$aws/things/&lt;thing&gt;/shadow/update/delta</c>: desired keys that differ from reported, with the document's version.</summary>
    public string Delta => $"{Prefix}/update/delta";
}
