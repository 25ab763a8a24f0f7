using System.Globalization;
using System.Text.Json;

namespace ShelfAgent.Simulator.Traces;

/// <summary>
/// The store's point of sale, fed by the same customers as the shelf: every drop of a slot's true count is a customer
/// taking items, who pays 1–10 minutes later, except 3 % of items that never reach the till (theft, damage, eaten in
/// the aisle). One line per sale in the columns of the sales table (Cloud/README.md, "Transactional sources"):
/// <c>sale_id, store_id, sku, quantity, unit_price, sold_at</c>. Deterministic for a seed and store.
/// </summary>
public sealed class SalesLedger
{
    /// <summary>Share of picked items that are never sold.</summary>
    public const double Shrinkage = 0.03;

    private readonly string _store;
    private readonly Random _random;
    private readonly Dictionary<string, string> _skus;
    private readonly Dictionary<string, int> _last = new(StringComparer.Ordinal);
    private readonly List<(DateTimeOffset At, string Sku, int Quantity)> _pending = [];
    private long _id;

    /// <summary>A ledger for store number <paramref name="storeNumber"/> with its slots' SKUs.</summary>
    public SalesLedger(string store, int storeNumber, int seed, IReadOnlyDictionary<string, string> skuBySlot)
    {
        _store = store;
        _random = new Random(unchecked((seed * 7_368_787) + storeNumber));
        _skus = new Dictionary<string, string>(skuBySlot, StringComparer.Ordinal);
        _id = storeNumber * 1_000_000_000L;
    }

    /// <summary>Takes one truth fact; a drop of a slot's count becomes a sale.</summary>
    public void Observe(TruthEvent truth)
    {
        ArgumentNullException.ThrowIfNull(truth);
        if (truth.Kind != TruthKind.Count)
        {
            return;
        }

        var had = _last.TryGetValue(truth.Slot, out var previous);
        _last[truth.Slot] = truth.Count;
        if (!had || truth.Count >= previous || !_skus.TryGetValue(truth.Slot, out var sku))
        {
            return;
        }

        var sold = 0;
        for (var i = 0; i < previous - truth.Count; i++)
        {
            sold += _random.NextDouble() < Shrinkage ? 0 : 1;
        }

        if (sold > 0)
        {
            _pending.Add((truth.Timestamp.AddSeconds(60 + _random.Next(540)), sku, sold));
        }
    }

    /// <summary>Writes the sales in till order as JSON lines.</summary>
    public void WriteTo(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        foreach (var (at, sku, quantity) in _pending.OrderBy(p => p.At))
        {
            output.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["sale_id"] = ++_id,
                ["store_id"] = _store,
                ["sku"] = sku,
                ["quantity"] = quantity,
                ["unit_price"] = Price(sku),
                ["sold_at"] = at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            }));
        }
    }

    // A stable price per SKU from its name, so every store sells a product at the same price.
    private static double Price(string sku) => Math.Round(0.5 + (Math.Abs(sku.Aggregate(17, (h, c) => unchecked((h * 31) + c))) % 450 / 100.0), 2);
}
