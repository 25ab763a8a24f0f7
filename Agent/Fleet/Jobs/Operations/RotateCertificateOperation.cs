using ShelfAgent.Fleet.Provisioning;

namespace ShelfAgent.Fleet.Jobs.Operations;

/// <summary>
/// <c>rotate-certificate</c>: hands the document to the provisioning helper's <see cref="CertificateRotation"/> over
/// the agent's own session — new key and CSR on the device, create-from-csr and the rotation template, a test
/// connection with the new pair, and only then agent.json switched (atomically). A refused new certificate leaves the
/// old one in agent.json and in use. After a switch the job asks for a restart (<see cref="JobOutcome.RestartAfterReport"/>)
/// so the agent's connection, built from agent.json, moves to the new identity; systemd starts it again (Restart=always).
/// </summary>
/// <param name="rotation">The rotation engine.</param>
/// <param name="session">The agent's live session (create-from-csr and RegisterThing go over it).</param>
/// <param name="identity">Thing name, agent.json path, current certificate and key.</param>
public sealed class RotateCertificateOperation(CertificateRotation rotation, IMqttSession session, RotationIdentity identity) : IJobOperation
{
    /// <inheritdoc />
    public string Name => RotateCertificateJob.Name;

    /// <inheritdoc />
    public async Task<JobOutcome> RunAsync(JobDocument document, CancellationToken cancellationToken)
    {
        var job = (RotateCertificateJob)document;
        var request = new RotationRequest(session, identity.ThingName, job.TemplateName, job.Parameters, identity.ConfigFile, identity.CertFile, identity.KeyFile, job.Key);
        var result = await rotation.RotateAsync(request, cancellationToken).ConfigureAwait(false);
        return RotationJobOutcome.From(result);
    }
}
