using System.Security.Cryptography;
using System.Text.Json;
using ShelfAgent.Transport;

namespace ShelfAgent.IotCore.Provisioning;

/// <summary>
/// Provisioning by claim (issue 14, "Provisioning by claim"): a key made here, a CSR through create-from-csr,
/// RegisterThing with the template, a check that the new identity connects (client id = thing name), then the files
/// and agent.json. The claim connection is used only for the two provisioning calls and closed before the new identity
/// is tried; once installed the claim is never used again (a second run refuses without --force). Every step persists
/// what the next run needs (<see cref="ProvisioningPlan"/>), so a run killed at any point can simply be run again.
/// </summary>
public sealed class ClaimProvisioner(IIotConnector connector, TimeProvider time, TextWriter progress)
{
    /// <summary>How long to wait for each AWS answer.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an ownership token lives (AWS: 1 h).</summary>
    public TimeSpan TokenLifetime { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Runs (or resumes) provisioning.</summary>
    public async Task<ProvisioningResult> RunAsync(ProvisioningRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var files = new ProvisioningFiles(request.CertificateFolder);
        IIotConnection? claim = null;
        try
        {
            files.EnsureFolder();
            var state = files.LoadState();
            if (state is null && ExistingIdentity(request.ConfigFile) is { } existing && !request.Force)
            {
                return new ProvisioningResult(ProvisioningStatus.IdentityExists,
                    $"{request.ConfigFile} already names thing {existing.ClientId} with certificate {existing.CertFile}.",
                    "Nothing was changed. To replace this identity run again with --force " +
                    "(the old certificate stays registered in AWS: ask the cloud team to revoke it).",
                    ThingName: existing.ClientId);
            }

            using var key = new KeyHolder(files.LoadPendingKey());
            var tokenRetried = false;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var step = ProvisioningPlan.Next(state, ProvisioningFiles.KindOf(key.Value), request.KeyKind, time.GetUtcNow(), TokenLifetime);
                switch (step)
                {
                    case ProvisioningStep.CreateKey:
                        key.Replace(CertificateSigningRequest.NewKey(request.KeyKind));
                        await files.SavePendingKeyAsync(key.Value!, cancellationToken).ConfigureAwait(false);
                        state = ProvisioningState.ForNewKey(request.KeyKind);
                        await files.SaveStateAsync(state, cancellationToken).ConfigureAwait(false);
                        progress.WriteLine(
                            $"generated a new {Describe(request.KeyKind)} key on this device: {files.PendingKey} (0600, it never leaves the device)");
                        break;

                    case ProvisioningStep.RequestCertificate:
                        {
                            claim ??= await ConnectClaimAsync(request, key.Value!, cancellationToken).ConfigureAwait(false);
                            var calls = new ProvisioningCalls(new AwsIotRequester(claim, time), RequestTimeout);
                            var (issued, error) = await calls.CreateFromCsrAsync(key.Value!, request.CommonName, cancellationToken).ConfigureAwait(false);
                            if (issued is null)
                            {
                                return Rejected("create-from-csr", error, CsrHint(error, request.KeyKind));
                            }

                            state = state! with
                            {
                                CertificateId = issued.CertificateId,
                                CertificatePem = issued.CertificatePem,
                                OwnershipToken = issued.OwnershipToken,
                                TokenReceivedAt = time.GetUtcNow(),
                                ThingName = null,
                            };
                            await files.SaveStateAsync(state, cancellationToken).ConfigureAwait(false);
                            progress.WriteLine($"certificate {issued.CertificateId} issued for the device's key");
                            break;
                        }

                    case ProvisioningStep.RegisterThing:
                        {
                            claim ??= await ConnectClaimAsync(request, key.Value!, cancellationToken).ConfigureAwait(false);
                            var calls = new ProvisioningCalls(new AwsIotRequester(claim, time), RequestTimeout);
                            var (thing, error) = await calls.RegisterThingAsync(
                                request.TemplateName, state!.OwnershipToken!, request.Parameters, cancellationToken).ConfigureAwait(false);
                            if (thing is null)
                            {
                                if (ProvisioningCalls.IsTokenError(error) && !tokenRetried)
                                {
                                    // Expired, or used by a run killed before it stored the answer: a new certificate, once.
                                    tokenRetried = true;
                                    progress.WriteLine($"RegisterThing refused the ownership token ({error}); asking for a new certificate");
                                    state = state.WithoutCertificate();
                                    await files.SaveStateAsync(state, cancellationToken).ConfigureAwait(false);
                                    break;
                                }

                                return Rejected($"RegisterThing (template {request.TemplateName})", error, TemplateHint(error, request));
                            }

                            state = state with { ThingName = thing.ThingName };
                            await files.SaveStateAsync(state, cancellationToken).ConfigureAwait(false);
                            progress.WriteLine($"registered as thing {thing.ThingName} (template {request.TemplateName})");
                            break;
                        }

                    case ProvisioningStep.VerifyAndInstall:
                        {
                            // The claim is done with: closed before the new identity connects (and never opened again).
                            if (claim is not null)
                            {
                                await claim.DisposeAsync().ConfigureAwait(false);
                                claim = null;
                            }

                            await files.SavePendingCertificateAsync(state!.CertificatePem!, cancellationToken).ConfigureAwait(false);
                            if (await TryConnectAsync(new IotIdentity(files.PendingCertificate, files.PendingKey, state.ThingName!), cancellationToken)
                                    .ConfigureAwait(false) is { } refused)
                            {
                                return new ProvisioningResult(ProvisioningStatus.IdentityRefused,
                                    $"the new identity (thing {state.ThingName}, certificate {state.CertificateId}) did not connect: {refused}",
                                    "agent.json is unchanged. Check the template attaches a policy that allows iot:Connect for client id = thing name " +
                                    "and activates the certificate; then run the same command again (it continues from here).",
                                    ThingName: state.ThingName);
                            }

                            progress.WriteLine($"connected as {state.ThingName} with the new certificate");
                            var owners = await IdentityInstaller.InstallAsync(
                                request.ConfigFile,
                                state.ThingName!,
                                state.CertificatePem!,
                                ProvisioningFiles.KeyPem(key.Value!),
                                files.Certificate,
                                files.Key,
                                cancellationToken).ConfigureAwait(false);
                            state = state with { Installed = true };
                            await files.SaveStateAsync(state, cancellationToken).ConfigureAwait(false);
                            progress.WriteLine($"wrote {files.Certificate} (0640) and {files.Key} (0600){(owners is null ? "" : $"; {owners}")}");
                            progress.WriteLine($"updated {request.ConfigFile}: Device:ThingName, Mqtt:CertFile, Mqtt:KeyFile");
                            break;
                        }

                    case ProvisioningStep.CleanUp:
                        files.CleanUp();
                        return new ProvisioningResult(ProvisioningStatus.Provisioned,
                            $"provisioned: thing {state!.ThingName}, certificate {state.CertificateId}; " +
                            "the claim certificate is no longer needed on this device",
                            ThingName: state.ThingName);
                }
            }
        }
        catch (Exception e) when (e is TimeoutException or MqttException or AwsIotSubscribeRefusedException or InvalidDataException)
        {
            return new ProvisioningResult(ProvisioningStatus.Unavailable, e.Message,
                "Check Mqtt:Host/Port/CaFile in agent.json, the network, and that the claim certificate is active with a policy for the provisioning topics; " +
                "then run the same command again (it continues where it stopped).");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return new ProvisioningResult(ProvisioningStatus.FileError, e.Message,
                $"Run as root (sudo) so {request.CertificateFolder} and {request.ConfigFile} can be written; then run the same command again.");
        }
        finally
        {
            if (claim is not null)
            {
                await claim.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>The identity agent.json names, when its certificate file exists.</summary>
    private static IotIdentity? ExistingIdentity(string configFile)
    {
        var identity = AgentJsonIdentity.Read(File.ReadAllText(configFile));
        return identity is { ClientId.Length: > 0, CertFile.Length: > 0 } && File.Exists(identity.CertFile) ? identity : null;
    }

    private async Task<IIotConnection> ConnectClaimAsync(ProvisioningRequest request, AsymmetricAlgorithm key, CancellationToken cancellationToken)
    {
        // A claim is shared by many devices and AWS drops the older of two connections with one client id: derive a
        // stable id from this device's own key.
        var id = "provision-" + Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()))[..16];
        var connection = await connector.ConnectAsync(new IotIdentity(request.ClaimCertFile, request.ClaimKeyFile, id), cancellationToken)
            .ConfigureAwait(false);
        progress.WriteLine($"connected with the claim certificate (client id {id})");
        return connection;
    }

    private async Task<string?> TryConnectAsync(IotIdentity identity, CancellationToken cancellationToken)
    {
        try
        {
            var connection = await connector.ConnectAsync(identity, cancellationToken).ConfigureAwait(false);
            await connection.DisposeAsync().ConfigureAwait(false);
            return null;
        }
        catch (MqttException e)
        {
            return e.Message;
        }
    }

    private static ProvisioningResult Rejected(string step, AwsIotError? error, string hint) =>
        new(ProvisioningStatus.Rejected, $"AWS IoT rejected {step}: {error?.ToString() ?? "no error details"}", hint, error);

    private static string CsrHint(AwsIotError? error, Security.KeyKind kind) =>
        (error?.ErrorCode?.Contains("csr", StringComparison.OrdinalIgnoreCase) ?? false) && kind == Security.KeyKind.EcP256
            ? "AWS could not use the certificate signing request. Run again with --key-type rsa if this account does not accept EC P-256; " +
              "otherwise send this message to the cloud team."
            : "Check the claim certificate is ACTIVE and its policy allows iot:Publish and iot:Receive on $aws/certificates/create-from-csr/*; " +
              "then run the same command again (the device key is kept).";

    private static string TemplateHint(AwsIotError? error, ProvisioningRequest request) => error switch
    {
        { StatusCode: 404 } or { ErrorCode: "ResourceNotFound" }
            => $"Template {request.TemplateName} does not exist (or is disabled) in this account and region: check --template.",
        { ErrorCode: "InvalidParameters" }
            => "The template needs other parameters: add the ones errorMessage names with --param Key=Value and run again " +
               "(the certificate is kept for up to 1 h).",
        _ when ProvisioningCalls.IsTokenError(error) => "The ownership token was refused twice: check the device's clock (timedatectl) and run again.",
        _ => "The template (or its pre-provisioning hook) refused this device: fix what errorMessage says, or ask the cloud team; " +
             "then run the same command again.",
    };

    private static string Describe(Security.KeyKind kind) => kind == Security.KeyKind.Rsa2048 ? "RSA 2048" : "EC P-256";

    /// <summary>Owns the current key and disposes the one it replaces.</summary>
    private sealed class KeyHolder(AsymmetricAlgorithm? key) : IDisposable
    {
        public AsymmetricAlgorithm? Value { get; private set; } = key;

        public void Replace(AsymmetricAlgorithm key)
        {
            Value?.Dispose();
            Value = key;
        }

        public void Dispose() => Value?.Dispose();
    }
}
