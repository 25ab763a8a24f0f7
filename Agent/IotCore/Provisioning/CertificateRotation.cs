using System.Text;
using ShelfAgent.Storage;
using ShelfAgent.Transport;

namespace ShelfAgent.IotCore.Provisioning;

/// <summary>
/// Certificate rotation (issue 14, Jobs: <c>rotate-certificate</c>): a new key and CSR made on the device,
/// create-from-csr and RegisterThing with a rotation template over the device's own connection, a test connection
/// with the new pair (client id = thing name), and only then agent.json switched to it in one atomic rename. Until
/// that rename the old certificate stays in agent.json and keeps working; if the new one is refused, its files are
/// removed and nothing else changes.
/// <para>
/// Public API: <c>new CertificateRotation(IIotConnector connector, TimeProvider time)</c>,
/// <c>Task&lt;RotationResult&gt; RotateAsync(RotationRequest request, CancellationToken cancellationToken)</c>. The new files
/// are <c>device-&lt;first 12 hex of the certificate id&gt;.crt/.key</c> beside the current certificate (0640 / 0600).
/// After <see cref="RotationOutcome.Rotated"/> the caller makes the agent connect with the new files (restart the
/// transport or the process) and may then delete <see cref="RotationResult.PreviousCertFile"/> and
/// <see cref="RotationResult.PreviousKeyFile"/>. The test connection uses the thing's client id, so AWS IoT drops the
/// agent's own connection for a moment (one client id, one connection); the transport reconnects.
/// The old certificate stays ACTIVE in AWS unless the template or the cloud deactivates it.
/// </para>
/// </summary>
public sealed class CertificateRotation(IIotConnector connector, TimeProvider time)
{
    private readonly IIotConnector _connector = connector ?? throw new ArgumentNullException(nameof(connector));
    private readonly TimeProvider _time = time ?? throw new ArgumentNullException(nameof(time));

    /// <summary>How long to wait for each AWS answer.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Rotates; never throws for AWS, broker or file failures (they are the result), only for cancellation and bad arguments.</summary>
    public async Task<RotationResult> RotateAsync(RotationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrEmpty(request.ThingName);
        var parameters = new Dictionary<string, string>(request.Parameters, StringComparer.Ordinal);
        parameters.TryAdd("ThingName", request.ThingName);
        var folder = Path.GetDirectoryName(Path.GetFullPath(request.CurrentCertFile))!;
        using var key = CertificateSigningRequest.NewKey(request.KeyKind);
        var calls = new ProvisioningCalls(new AwsIotRequester(request.Session, _time), RequestTimeout);
        string? certFile = null, keyFile = null;
        var switched = false;
        try
        {
            IssuedCertificate? issued;
            AwsIotError? csrError;
            RegisteredThing? thing = null;
            AwsIotError? registerError = null;
            try
            {
                (issued, csrError) = await calls.CreateFromCsrAsync(key, request.ThingName, cancellationToken).ConfigureAwait(false);
                if (issued is not null)
                {
                    (thing, registerError) = await calls.RegisterThingAsync(request.TemplateName, issued.OwnershipToken, parameters, cancellationToken)
                        .ConfigureAwait(false);
                }
            }
            finally
            {
                // Before the test connection: it uses the thing's client id, so the broker drops this session right after.
                await UnsubscribeQuietlyAsync(request).ConfigureAwait(false);
            }

            if (issued is null)
            {
                return new RotationResult(RotationOutcome.Rejected, $"create-from-csr rejected: {csrError}", Error: csrError);
            }

            if (thing is null)
            {
                return new RotationResult(
                    RotationOutcome.Rejected,
                    $"RegisterThing (template {request.TemplateName}) rejected: {registerError}",
                    issued.CertificateId,
                    Error: registerError);
            }

            if (!string.Equals(thing.ThingName, request.ThingName, StringComparison.Ordinal))
            {
                return new RotationResult(
                    RotationOutcome.Failed,
                    $"template {request.TemplateName} registered the new certificate to thing {thing.ThingName}, not {request.ThingName}; " +
                    "agent.json unchanged",
                    issued.CertificateId);
            }

            var stem = Path.Combine(folder, "device-" + issued.CertificateId[..Math.Min(12, issued.CertificateId.Length)]);
            (certFile, keyFile) = (stem + ".crt", stem + ".key");
            await DurableFile.WriteAsync(keyFile, ProvisioningFiles.KeyPem(key), DurableFile.Private, cancellationToken).ConfigureAwait(false);
            await DurableFile.WriteAsync(
                certFile, Encoding.ASCII.GetBytes(issued.CertificatePem.TrimEnd() + "\n"), DurableFile.GroupReadable, cancellationToken).ConfigureAwait(false);
            ServiceFileOwner.Apply(certFile, keyFile);

            try
            {
                var probe = await _connector.ConnectAsync(new IotIdentity(certFile, keyFile, request.ThingName), cancellationToken).ConfigureAwait(false);
                await probe.DisposeAsync().ConfigureAwait(false);
            }
            catch (MqttException e)
            {
                return new RotationResult(RotationOutcome.NewCertificateRefused,
                    $"the new certificate {issued.CertificateId} did not connect ({e.Message}); the current certificate stays in use", issued.CertificateId);
            }

            await IdentityInstaller.SwitchConfigAsync(request.ConfigFile, request.ThingName, certFile, keyFile, cancellationToken).ConfigureAwait(false);
            switched = true;
            return new RotationResult(RotationOutcome.Rotated, $"rotated to certificate {issued.CertificateId}", issued.CertificateId,
                Path.GetFullPath(certFile), Path.GetFullPath(keyFile), Path.GetFullPath(request.CurrentCertFile), Path.GetFullPath(request.CurrentKeyFile));
        }
        catch (Exception e) when (e is TimeoutException or MqttException or AwsIotSubscribeRefusedException or InvalidDataException or IOException
                                  or UnauthorizedAccessException or System.Text.Json.JsonException)
        {
            return new RotationResult(RotationOutcome.Failed, $"rotation failed, the current certificate stays in use: {e.Message}");
        }
        finally
        {
            if (!switched)
            {
                // Never leave a second key lying about: the files of a rotation that did not switch are removed.
                DeleteQuietly(certFile);
                DeleteQuietly(keyFile);
            }
        }
    }

    private static void DeleteQuietly(string? path)
    {
        if (path is null)
        {
            return;
        }

        try
        {
            DurableFile.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A leftover file is not worth failing the result over; it is named after a certificate nobody uses.
        }
    }

    // The reply subscriptions are only for the rotation: dropped afterwards so the device keeps no grant it does not use.
    private static async Task UnsubscribeQuietlyAsync(RotationRequest request)
    {
        string[] topics =
        [
            ProvisioningPayloads.CreateFromCsrTopic,
            ProvisioningPayloads.IsTemplateName(request.TemplateName) ? ProvisioningPayloads.RegisterThingTopic(request.TemplateName) : "",
        ];
        foreach (var topic in topics.Where(t => t.Length > 0))
        {
            foreach (var suffix in (string[])["/accepted", "/rejected"])
            {
                try
                {
                    using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                    await request.Session.UnsubscribeAsync(topic + suffix, bound.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is MqttException or OperationCanceledException or TimeoutException)
                {
                    // Best effort: the subscription ends with the session anyway.
                }
            }
        }
    }
}
