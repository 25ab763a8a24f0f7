namespace ShelfAgent.Validation;

/// <summary>One thing wrong with the configuration, named by its key (e.g. <c>Slots:2:Sensor:Address</c>).</summary>
public sealed record ConfigProblem(string Key, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{Key}: {Message}";
}
