using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;
using ShelfAgent.Security;

namespace ShelfAgent.LocalLake.Serving;

/// <summary>
/// The stand-in for S3 behind the pre-signed URLs of the profiles-update jobs (<c>local-lake serve</c>, docs/models.md):
/// the published folder over HTTPS on 127.0.0.1 only, with a server certificate from the repo's development CA
/// (<see cref="DevCertificateSet.CreateServer"/>; devices trust its <c>ca.crt</c>, e.g. with <c>SSL_CERT_FILE</c>). Kestrel's
/// static files answer GET with single ranges (206), as S3 does, which the agent's fetcher uses to resume.
/// </summary>
public sealed class ReleaseFileServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly X509Certificate2 _certificate;

    private ReleaseFileServer(WebApplication app, X509Certificate2 certificate, Uri baseUrl, string caFile)
    {
        _app = app;
        _certificate = certificate;
        BaseUrl = baseUrl;
        CaFile = caFile;
    }

    /// <summary>The root the files are served at (<c>https://127.0.0.1:PORT/</c>): the jobs' <c>--base-url</c>.</summary>
    public Uri BaseUrl { get; }

    /// <summary>The CA certificate the devices must trust.</summary>
    public string CaFile { get; }

    /// <summary>
    /// Serves <paramref name="folder"/> on 127.0.0.1:<paramref name="port"/> (0: any free port) with the server certificate of
    /// the development CA folder <paramref name="certificates"/> (made there when absent).
    /// </summary>
    public static async Task<ReleaseFileServer> StartAsync(string folder, int port, string certificates, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        var set = DevCertificateSet.CreateServer(certificates);
        var certificate = X509Certificate2.CreateFromPemFile(set.ServerCertificate, set.ServerKey);
        try
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            // 127.0.0.1 only: the devices of one machine; never an outside interface (DEVELOPERS.md).
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port, l => l.UseHttps(certificate)));
            var app = builder.Build();
            app.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(Path.GetFullPath(folder)) });
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            // The address Kestrel bound (with port 0: the port the system chose).
            var address = app.Urls.First().Replace("[::1]", "127.0.0.1", StringComparison.Ordinal);
            return new ReleaseFileServer(app, certificate, new Uri(address.EndsWith('/') ? address : address + "/"), set.CaCertificate);
        }
        catch
        {
            certificate.Dispose();
            throw;
        }
    }

    /// <summary>Serves until Ctrl+C or SIGTERM (the host's console lifetime) or until <paramref name="cancellationToken"/> is cancelled.</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken) => _app.WaitForShutdownAsync(cancellationToken);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _certificate.Dispose();
    }
}
