using System.Globalization;
using System.Text;

namespace ShelfAgent.Cloud.Cost;

/// <summary>One service's share of the month.</summary>
/// <param name="Service">The AWS service (or part of it).</param>
/// <param name="Usd">Dollars a month.</param>
/// <param name="Detail">What drives it.</param>
public sealed record BillLine(string Service, decimal Usd, string Detail);

/// <summary>A month's bill for one fleet profile.</summary>
public sealed record MonthlyBill(FleetProfile Fleet, AwsPriceList Prices, IReadOnlyList<BillLine> Lines)
{
    /// <summary>The whole month.</summary>
    public decimal Total => Lines.Sum(l => l.Usd);

    /// <summary>Dollars per device per month.</summary>
    public decimal PerDevice => Total / Fleet.Devices;

    /// <summary>The bill as a Markdown table.</summary>
    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{Fleet.Name}: {Fleet.Devices:N0} devices, prices {Prices.AsOf:yyyy-MM-dd}");
        text.AppendLine();
        text.AppendLine("| Service | $/month | $/device | Driven by |");
        text.AppendLine("| --- | ---: | ---: | --- |");
        foreach (var line in Lines)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {line.Service} | {line.Usd:N0} | {line.Usd / Fleet.Devices:0.0000} | {line.Detail} |");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"| **Total** | **{Total:N0}** | **{PerDevice:0.000}** | |");
        return text.ToString();
    }
}
