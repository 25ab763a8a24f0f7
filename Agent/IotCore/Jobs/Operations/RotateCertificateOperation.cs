using ShelfAgent.IotCore.Provisioning;

namespace ShelfAgent.IotCore.Jobs.Operations;

/// <summary>
/// <c>rotate-certificate</c>: hands the document to the provisioning helper's <see cref="CertificateRotation"/> over
/// the agent's own session — new key and CSR on the device, create-from-csr and the rotation template, a test
/// connection with the new pair, and only then agent.json switched (atomically). A refused new certificate leaves the
/// old one in agent.json and in use. After a switch the job asks for a restart (<see cref="JobOutcome.RestartAfterReport"/>)
/// so the agent's connection, built from agent.json, moves to the new identity; systemd starts it again (Restart=always).
/// </summary>
/// <param name="rotation">The rotation engine.</param>
/// <param name="session">The agent's live session (create-from-csr and RegisterThing go over it).</param>
/// <param name="identity">The agent's identity now: current certificate, key and thing name (the client id).</param>
/// <param name="configFile">agent.json, switched after the new certificate connected.</param>
public sealed class RotateCertificateOperation(CertificateRotation rotation, IMqttSession session, IotIdentity identity, string configFile) : IJobOperation
{
    /// <inheritdoc />
    public string Name => RotateCertificateJob.Name;

    /// <inheritdoc />
    public async Task<JobOutcome> RunAsync(JobDocument document, CancellationToken cancellationToken)
    {
        var job = (RotateCertificateJob)document;
        var request = new RotationRequest(
            session, identity.ClientId, job.TemplateName, job.Parameters, configFile, identity.CertFile, identity.KeyFile, job.Key);
        var result = await rotation.RotateAsync(request, cancellationToken).ConfigureAwait(false);
        return RotationJobOutcome.From(result);
    }
}
