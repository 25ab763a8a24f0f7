namespace ShelfAgent.Validation;

/// <summary>One thing wrong with the configuration, named by its key (e.g. <c>Slots:2:Sensor:Address</c>).</summary>
/// <param name="Key">The flat key as the configuration layer names it, list entries by position (<c>Slots:0:LowStockAt</c>): what code matches on.</param>
/// <param name="Message">What is wrong, in the user's words.</param>
public sealed record ConfigProblem(string Key, string Message)
{
    private readonly string? _name;

    /// <summary>
    /// The key as a person reads it: a list entry by its id, or by its 1-based position when it has none
    /// (<c>Slots[A1].LowStockAt</c>, <c>Slots[#2].Sensor.Curve[#1].Volts</c>); <see cref="Key"/> unless the loader set it.
    /// </summary>
    public string Name { get => _name ?? Key; init => _name = value; }

    /// <inheritdoc />
    public override string ToString() => $"{Name}: {Message}";
}
