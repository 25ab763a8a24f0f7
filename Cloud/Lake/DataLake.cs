using Constructs;
using Stream = Amazon.CDK.AWS.Kinesis.Stream;

namespace ShelfAgent.Cloud.Lake;

/// <summary>Buckets, catalog, delivery from the stream (readings; events and alerts), Athena and curation.</summary>
public sealed class DataLake : Construct
{
    /// <summary>Creates the lake fed by the given stream.</summary>
    public DataLake(Construct scope, string id, StageNaming naming, Stream stream)
        : base(scope, id)
    {
        Buckets = new LakeBuckets(this, "Buckets");
        Catalog = new ReadingsCatalog(this, "Catalog", naming, Buckets);
        Delivery = new DeliveryPipeline(this, "Delivery", DeliverySpec.Readings, stream, Buckets, Catalog);
        EventDelivery = new DeliveryPipeline(this, "EventDelivery", DeliverySpec.Events, stream, Buckets, Catalog);
        Athena = new AthenaWorkspace(this, "Athena", naming, Buckets, Catalog);
        Curation = new CurationSchedule(this, "Curation", Buckets, Catalog, Athena);
    }

    /// <summary>Raw, curated, results and model-artifact buckets.</summary>
    public LakeBuckets Buckets { get; }

    /// <summary>Glue database and tables.</summary>
    public ReadingsCatalog Catalog { get; }

    /// <summary>Readings: Firehose and its transformation.</summary>
    public DeliveryPipeline Delivery { get; }

    /// <summary>Events and alerts: a second Firehose on the same stream.</summary>
    public DeliveryPipeline EventDelivery { get; }

    /// <summary>Athena workgroup and named queries.</summary>
    public AthenaWorkspace Athena { get; }

    /// <summary>Daily partition load and curation.</summary>
    public CurationSchedule Curation { get; }
}
