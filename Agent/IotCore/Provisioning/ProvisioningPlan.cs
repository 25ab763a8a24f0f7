using ShelfAgent.Security;

namespace ShelfAgent.IotCore.Provisioning;

/// <summary>
/// The resume rule of <c>provision</c>, pure: from what the last run left (its state and whether the pending key is
/// still there), the step to take now. Each step is idempotent — a run killed at any point leaves a state from which
/// this picks a step that is safe to repeat:
/// <list type="bullet">
/// <item>killed before the key was written (or the key is gone): a new key; anything issued for the lost key is useless;</item>
/// <item>key written, no certificate yet: create-from-csr with that key;</item>
/// <item>certificate issued, not registered: RegisterThing with its token, unless the token has expired (AWS: 1 h),
///   then a new certificate for the same key (the unused one stays PENDING_ACTIVATION in AWS, harmless);</item>
/// <item>registered, not installed: connect with the new identity, then write the files and agent.json (rewriting them is
///   harmless);</item>
/// <item>installed: only the clean-up.</item>
/// </list>
/// A RegisterThing that AWS accepted but whose answer the killed run never stored is sent again with the same token; if
/// AWS refuses the used token the engine gets a new certificate once (<see cref="ClaimProvisioner"/>).
/// </summary>
public static class ProvisioningPlan
{
    /// <summary>Margin before the token's end: a token this close to expiry is not used (the request would race it).</summary>
    public static readonly TimeSpan TokenMargin = TimeSpan.FromMinutes(5);

    /// <summary>The step to take.</summary>
    /// <param name="state">The last run's state, null when none.</param>
    /// <param name="pendingKey">The kind of key in pending.key, null when there is none.</param>
    /// <param name="requested">The key kind asked for (<c>--key-type</c>).</param>
    /// <param name="now">The current time.</param>
    /// <param name="tokenLifetime">How long an ownership token lives (1 h on AWS).</param>
    public static ProvisioningStep Next(ProvisioningState? state, KeyKind? pendingKey, KeyKind requested, DateTimeOffset now, TimeSpan tokenLifetime)
    {
        if (state is { Installed: true })
        {
            return ProvisioningStep.CleanUp;
        }

        if (state is null || pendingKey is null || pendingKey != state.KeyKind)
        {
            return ProvisioningStep.CreateKey;
        }

        if (state.ThingName is not null && state.CertificatePem is not null)
        {
            // Registered: the key is bound to a thing now, whatever --key-type says this time.
            return ProvisioningStep.VerifyAndInstall;
        }

        if (pendingKey != requested)
        {
            return ProvisioningStep.CreateKey;
        }

        if (state.CertificatePem is null || state.OwnershipToken is null || state.TokenReceivedAt is null)
        {
            return ProvisioningStep.RequestCertificate;
        }

        var age = now - state.TokenReceivedAt.Value;
        var usable = tokenLifetime - TokenMargin > TimeSpan.Zero ? tokenLifetime - TokenMargin : tokenLifetime;
        return age < TimeSpan.Zero || age >= usable ? ProvisioningStep.RequestCertificate : ProvisioningStep.RegisterThing;
    }
}
