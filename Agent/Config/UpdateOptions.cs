using ShelfAgent.Artifacts;

namespace ShelfAgent.Config;

/// <summary><c>Update</c>: how the agent accepts signed files from jobs (<c>agent-update</c>, docs/jobs.md).</summary>
public sealed class UpdateOptions
{
    /// <summary>Shortest accepted <see cref="HealthWindowSeconds"/>.</summary>
    public const int MinHealthWindowSeconds = 30;

    /// <summary>Longest accepted <see cref="HealthWindowSeconds"/>: an hour.</summary>
    public const int MaxHealthWindowSeconds = 3600;

    /// <summary>
    /// <c>Update:TrustedKeys</c>: the fleet's update public keys (ECDSA P-256, PEM or base64 DER). A job's file must be
    /// signed by one of them; list the old and the new key while rotating. Empty: no update is accepted.
    /// </summary>
    public List<string> TrustedKeys { get; set; } = [];

    /// <summary>
    /// <c>Update:HealthWindowSeconds</c>: how long a new version has, after its start, to connect and have readings
    /// acknowledged with the watchdog fed; otherwise it rolls back.
    /// </summary>
    public int HealthWindowSeconds { get; set; } = 300;

    /// <summary><c>Update:MaxDownloadBytes</c>: the size cap of a download (a release archive is ~10–20 MB).</summary>
    public long MaxDownloadBytes { get; set; } = 200L * 1024 * 1024;

    /// <summary><c>Update:InstallPath</c>: where <c>releases/&lt;version&gt;</c> and the <c>current</c> link live (install.sh's).</summary>
    public string InstallPath { get; set; } = "/opt/shelf-agent";

    /// <summary>
    /// <c>Update:DownloadPath</c>: the state folder for downloads and the update's record; unset means <c>updates/</c>
    /// beside the buffer (under /var/lib/shelf-agent, the unit's StateDirectory).
    /// </summary>
    public string? DownloadPath { get; set; }

    /// <summary>The keys parsed (valid entries only; <see cref="Validate"/> names the others).</summary>
    public TrustedKeySet Keys() => TrustedKeySet.Parse(TrustedKeys, out _);

    /// <summary>Checks the keys; one place for the rules.</summary>
    public IEnumerable<(string Key, string Message)> Validate()
    {
        TrustedKeySet.Parse(TrustedKeys, out var problems);
        foreach (var problem in problems)
        {
            yield return problem;
        }

        if (HealthWindowSeconds is < MinHealthWindowSeconds or > MaxHealthWindowSeconds)
        {
            yield return ("Update:HealthWindowSeconds",
                $"must be from {MinHealthWindowSeconds} to {MaxHealthWindowSeconds} seconds (was {HealthWindowSeconds})");
        }

        if (MaxDownloadBytes is < 1024 * 1024 or > 4L * 1024 * 1024 * 1024)
        {
            yield return ("Update:MaxDownloadBytes", $"must be from 1 MiB to 4 GiB (was {MaxDownloadBytes})");
        }

        if (!Path.IsPathRooted(InstallPath))
        {
            yield return ("Update:InstallPath", $"must be an absolute path (was \"{InstallPath}\")");
        }
    }
}
