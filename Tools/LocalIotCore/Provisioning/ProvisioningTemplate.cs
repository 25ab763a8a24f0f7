namespace ShelfAgent.LocalIot.Provisioning;

/// <summary>
/// A fleet provisioning template as the test configures it (developer guide "Provisioning templates"): which
/// parameters are required, which one names the thing, which become thing attributes, and whether the
/// pre-provisioning hook refuses (then RegisterThing is rejected with that statusCode/errorCode/errorMessage).
/// </summary>
public sealed record ProvisioningTemplate(string Name)
{
    /// <summary>Parameters the template declares without a default: RegisterThing without one is rejected.</summary>
    public IReadOnlyList<string> RequiredParameters { get; init; } = ["ThingName"];

    /// <summary>The parameter whose value becomes the thing name (the template's {"Ref": "ThingName"}).</summary>
    public string ThingNameParameter { get; init; } = "ThingName";

    /// <summary>Thing attribute → parameter it takes its value from (AttributePayload {"storeId": {"Ref": "StoreId"}}).</summary>
    public IReadOnlyDictionary<string, string> AttributesFromParameters { get; init; } = new Dictionary<string, string>();

    /// <summary>Returned as deviceConfiguration on success.</summary>
    public IReadOnlyDictionary<string, string> DeviceConfiguration { get; init; } = new Dictionary<string, string>();

    /// <summary>A pre-provisioning hook: given the parameters, null to allow or the rejection to send.</summary>
    public Func<IReadOnlyDictionary<string, string>, IotRejection?>? Hook { get; init; }
}
