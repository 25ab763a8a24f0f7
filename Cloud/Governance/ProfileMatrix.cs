namespace ShelfAgent.Cloud.Governance;

/// <summary>
/// Who may do what: the single source for the roles (and the matrix in Cloud/README.md, which the tests
/// compare with the synthesized policies).
/// </summary>
public static class ProfileMatrix
{
    /// <summary>Data engineer: owns both zones.</summary>
    public const string DataEngineer = "data-engineer";

    /// <summary>Data scientist: curated read and Athena.</summary>
    public const string DataScientist = "data-scientist";

    /// <summary>ML engineer: curated read and model artifacts.</summary>
    public const string MlEngineer = "ml-engineer";

    /// <summary>Store operations: alerts and the dashboard, no lake data.</summary>
    public const string StoreOperations = "store-operations";

    /// <summary>Capabilities per profile.</summary>
    public static IReadOnlyDictionary<string, IReadOnlySet<Capability>> Profiles { get; } =
        new Dictionary<string, IReadOnlySet<Capability>>
        {
            [DataEngineer] = new HashSet<Capability>
            {
                Capability.RawRead, Capability.RawWrite, Capability.CuratedRead, Capability.CuratedWrite, Capability.AthenaQuery,
            },
            [DataScientist] = new HashSet<Capability> { Capability.CuratedRead, Capability.AthenaQuery },
            [MlEngineer] = new HashSet<Capability> { Capability.CuratedRead, Capability.ModelArtifacts },
            [StoreOperations] = new HashSet<Capability> { Capability.StockOutSubscribe, Capability.DashboardRead },
        };
}
