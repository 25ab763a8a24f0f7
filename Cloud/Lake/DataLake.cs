using Constructs;
using Stream = Amazon.CDK.AWS.Kinesis.Stream;

namespace ShelfAgent.Cloud.Lake;

/// <summary>
/// Buckets, catalog, delivery (readings from the stream; events and alerts, and forecasts, Direct PUT from their IoT
/// rules), Athena and curation.
/// </summary>
public sealed class DataLake : Construct
{
    /// <summary>
    /// Creates the lake fed by the given stream. <paramref name="withSales"/>: the sales source is deployed (curated_sales
    /// exists), so profile training uses POS sales as its prior (<see cref="Learning.TrainingQuery"/>).
    /// </summary>
    public DataLake(Construct scope, string id, StageNaming naming, Stream stream, bool governed, bool withSales = false)
        : base(scope, id)
    {
        WithSales = withSales;
        Buckets = new LakeBuckets(this, "Buckets");
        Catalog = new ReadingsCatalog(this, "Catalog", naming, Buckets, governed);
        Delivery = new DeliveryPipeline(this, "Delivery", DeliverySpec.Readings, stream, Buckets, Catalog);
        EventDelivery = new DeliveryPipeline(this, "EventDelivery", DeliverySpec.Events, null, Buckets, Catalog);
        ForecastDelivery = new DeliveryPipeline(this, "ForecastDelivery", DeliverySpec.Forecasts, null, Buckets, Catalog);
        const string manual = "manual-CHANGE-ME";
        Athena = new AthenaWorkspace(this, "Athena", naming, Buckets, Catalog,
        [
            .. StarterQueries.All,
            new StarterQuery(StarterQueries.TrainProfiles,
                "Trains shelf.profile.v1 demand profiles (JSON lines) from 6 weeks of picks; by hand: change the run= folder first",
                StarterQueries.ProfilesSql(CurationSchedule.ProfilesLocation(Buckets, manual), withSales)),
            new StarterQuery(StarterQueries.TrainingDataset,
                "Writes the SageMaker training dataset (hourly picks per slot, calendar features, Parquet); by hand: change the run= folder first",
                StarterQueries.TrainingDatasetSql(CurationSchedule.TrainingLocation(Buckets, manual))),
        ]);
        Curation = new CurationSchedule(this, "Curation", Buckets, Catalog, Athena, withSales);
    }

    /// <summary>True when profile training reads curated_sales (the sales source is deployed).</summary>
    public bool WithSales { get; }

    /// <summary>Raw, curated, results and model-artifact buckets.</summary>
    public LakeBuckets Buckets { get; }

    /// <summary>Glue database and tables.</summary>
    public ReadingsCatalog Catalog { get; }

    /// <summary>Readings: Firehose and its transformation.</summary>
    public DeliveryPipeline Delivery { get; }

    /// <summary>Events and alerts: a Direct PUT Firehose their IoT rules write to.</summary>
    public DeliveryPipeline EventDelivery { get; }

    /// <summary>Forecasts: a Direct PUT Firehose the forecast rule writes to.</summary>
    public DeliveryPipeline ForecastDelivery { get; }

    /// <summary>Every delivery pipeline.</summary>
    public IReadOnlyList<DeliveryPipeline> Pipelines => [Delivery, EventDelivery, ForecastDelivery];

    /// <summary>Athena workgroup and named queries.</summary>
    public AthenaWorkspace Athena { get; }

    /// <summary>Daily curation and training.</summary>
    public CurationSchedule Curation { get; }
}
