using System.Text.Json.Serialization;

namespace ShelfAgent.LocalLake.Releases;

/// <summary>
/// A profile release (docs/models.md): what was trained, on what, by which code, who proposed it. Written once, when
/// proposed; its evaluation, approval and rollout are records of their own beside it.
/// </summary>
public sealed record ReleaseRecord
{
    /// <summary>Release id (<c>r-…</c>).</summary>
    public required string Id { get; init; }

    /// <summary>When it was trained (UTC).</summary>
    public required DateTimeOffset Created { get; init; }

    /// <summary>First day of training data (UTC, inclusive).</summary>
    public required DateOnly TrainedFrom { get; init; }

    /// <summary>Day training stopped before (UTC, exclusive): the held-out week starts here.</summary>
    public required DateOnly TrainedTo { get; init; }

    /// <summary>Profiles per source: shelf, sales, blend.</summary>
    public required IReadOnlyDictionary<string, int> Sources { get; init; }

    /// <summary>Rows read per table in the window (curated_readings, curated_events picks, curated_sales).</summary>
    public required IReadOnlyDictionary<string, long> Rows { get; init; }

    /// <summary>The training code's version (the local-lake assembly's informational version).</summary>
    public required string CodeVersion { get; init; }

    /// <summary>SHA-256 of profiles.jsonl (hex).</summary>
    public required string ProfilesSha256 { get; init; }

    /// <summary>Who proposed it.</summary>
    public required Actor ProposedBy { get; init; }
}

/// <summary>A person acting in a profile of ProfileMatrix.</summary>
/// <param name="Name">Who.</param>
/// <param name="Profile">In which profile (data-scientist, ml-engineer, …).</param>
public sealed record Actor(string Name, string Profile);

/// <summary>The approval of a release: who, when, on which metrics (docs/models.md).</summary>
public sealed record ApprovalRecord
{
    /// <summary>Release id.</summary>
    public required string Release { get; init; }

    /// <summary>The approver.</summary>
    public required Actor ApprovedBy { get; init; }

    /// <summary>When (UTC).</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary>The evaluation the approver saw (copied, so the record stands alone).</summary>
    public required EvaluationRecord Metrics { get; init; }

    /// <summary>
    /// The evaluation's verdict against the release in service, with the figures (<see cref="WatchVerdict"/>'s rule):
    /// "not worse: …" or "worse: …". Null on approvals recorded before it existed.
    /// </summary>
    public string? Verdict { get; init; }

    /// <summary>
    /// Why the approver shipped a release that evaluated worse (required then, refused otherwise); null for a release
    /// that is not worse.
    /// </summary>
    public string? OverrideReason { get; init; }
}

/// <summary>Strict prediction quality of one set of profiles on a week, per store and in total.</summary>
public sealed record QualityFigures
{
    /// <summary>Stock-outs in the week.</summary>
    public required int StockOuts { get; init; }

    /// <summary>Stock-outs caught ≥ 30 minutes ahead (recall@30's numerator).</summary>
    public required int Caught { get; init; }

    /// <summary>Predicted-empty alerts raised.</summary>
    public required int Alerts { get; init; }

    /// <summary>Alerts followed by a real stock-out within their window (strict precision's numerator).</summary>
    public required int TrueAlerts { get; init; }

    /// <summary>Slot-days observed.</summary>
    public required double SlotDays { get; init; }

    /// <summary>recall@30.</summary>
    public double Recall30 => StockOuts == 0 ? 1 : (double)Caught / StockOuts;

    /// <summary>Strict precision.</summary>
    public double Precision => Alerts == 0 ? 1 : (double)TrueAlerts / Alerts;

    /// <summary>False alarms per slot-day.</summary>
    public double FalseAlarmsPerSlotDay => SlotDays <= 0 ? 0 : (Alerts - TrueAlerts) / SlotDays;

    /// <summary>Sum of two.</summary>
    public static QualityFigures operator +(QualityFigures a, QualityFigures b) => new()
    {
        StockOuts = a.StockOuts + b.StockOuts,
        Caught = a.Caught + b.Caught,
        Alerts = a.Alerts + b.Alerts,
        TrueAlerts = a.TrueAlerts + b.TrueAlerts,
        SlotDays = a.SlotDays + b.SlotDays,
    };

    /// <summary>Nothing.</summary>
    public static QualityFigures Zero { get; } = new() { StockOuts = 0, Caught = 0, Alerts = 0, TrueAlerts = 0, SlotDays = 0 };

    /// <summary>Named alternative for <c>+</c>.</summary>
    public static QualityFigures Add(QualityFigures a, QualityFigures b) => a + b;
}

/// <summary>A release's evaluation on the held-out week against the release in service.</summary>
public sealed record EvaluationRecord
{
    /// <summary>The release evaluated.</summary>
    public required string Release { get; init; }

    /// <summary>The release in service it was compared with; null: the devices' own learning.</summary>
    public string? Against { get; init; }

    /// <summary>First day of the held-out week.</summary>
    public required DateOnly WeekFrom { get; init; }

    /// <summary>What was replayed and scored against: traces (ground truth) or the lake's readings; records written before
    /// the lake mode existed have none and were traces.</summary>
    public EvaluationData Data { get; init; } = EvaluationData.Traces;

    /// <summary>Candidate, per store.</summary>
    public required IReadOnlyDictionary<string, QualityFigures> Candidate { get; init; }

    /// <summary>In service, per store.</summary>
    public required IReadOnlyDictionary<string, QualityFigures> InService { get; init; }

    /// <summary>Candidate over all stores.</summary>
    [JsonIgnore]
    public QualityFigures CandidateTotal => Candidate.Values.Aggregate(QualityFigures.Zero, (a, b) => a + b);

    /// <summary>In service over all stores.</summary>
    [JsonIgnore]
    public QualityFigures InServiceTotal => InService.Values.Aggregate(QualityFigures.Zero, (a, b) => a + b);
}
