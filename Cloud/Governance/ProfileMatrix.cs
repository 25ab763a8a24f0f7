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

    /// <summary>ML engineer: curated read, model artifacts; proposes and alone approves profile releases.</summary>
    public const string MlEngineer = "ml-engineer";

    /// <summary>Store operations: alerts, the dashboard and the releases' metrics, no lake data.</summary>
    public const string StoreOperations = "store-operations";

    /// <summary>
    /// The profiles that may approve a profile release (docs/models.md): those holding <see cref="Capability.ApproveRelease"/>.
    /// The local loop asks this; IAM enforces it in AWS (ProfileRoles' ApproveRelease statement).
    /// </summary>
    public static bool MayApproveRelease(string profile) =>
        Profiles.TryGetValue(profile, out var capabilities) && capabilities.Contains(Capability.ApproveRelease);

    /// <summary>The profiles that may train and propose a profile release.</summary>
    public static bool MayProposeRelease(string profile) =>
        Profiles.TryGetValue(profile, out var capabilities) && capabilities.Contains(Capability.ProposeRelease);

    /// <summary>Capabilities per profile.</summary>
    public static IReadOnlyDictionary<string, IReadOnlySet<Capability>> Profiles { get; } =
        new Dictionary<string, IReadOnlySet<Capability>>
        {
            [DataEngineer] = new HashSet<Capability>
            {
                Capability.RawRead, Capability.RawWrite, Capability.CuratedRead, Capability.CuratedWrite, Capability.AthenaQuery,
            },
            [DataScientist] = new HashSet<Capability> { Capability.CuratedRead, Capability.AthenaQuery, Capability.ProposeRelease },
            [MlEngineer] = new HashSet<Capability>
            {
                Capability.CuratedRead, Capability.ModelArtifacts, Capability.ProposeRelease, Capability.ApproveRelease,
            },
            [StoreOperations] = new HashSet<Capability> { Capability.StockOutSubscribe, Capability.DashboardRead, Capability.ReleaseMetricsRead },
        };
}
