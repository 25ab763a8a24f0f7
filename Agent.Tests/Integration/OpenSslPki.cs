using System.Diagnostics;
using ShelfAgent.LocalIot.Broker;

namespace ShelfAgent.Tests.Integration;

/// <summary>
/// Certificates made by the openssl command line, the way an installer or another team would make them:
/// an RSA CA, a broker certificate for localhost/127.0.0.1, and RSA device certificates whose keys are in
/// the traditional PKCS#1 encoding ("BEGIN RSA PRIVATE KEY").
/// </summary>
public sealed class OpenSslPki : IBrokerPki
{
    private readonly string _dir;

    private OpenSslPki(string dir)
    {
        _dir = dir;
    }

    public string CaFile => Path.Combine(_dir, "ca.pem");

    public string ServerCert => Path.Combine(_dir, "server.pem");

    public string ServerKey => Path.Combine(_dir, "server-key.pem");

    public static async Task<OpenSslPki> CreateAsync(string dir)
    {
        Directory.CreateDirectory(dir);
        var pki = new OpenSslPki(dir);
        await RunAsync("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", Path.Combine(dir, "ca-key.pem"), "-out", pki.CaFile,
            "-days", "30", "-subj", "/CN=Independent Test CA",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        await pki.IssueAsync("server", "localhost", "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth", pki.ServerKey, pki.ServerCert);
        return pki;
    }

    /// <summary>An RSA device certificate with CN = thing name; returns (cert, key) paths.</summary>
    public async Task<(string CertFile, string KeyFile)> IssueDeviceAsync(string thing)
    {
        var cert = Path.Combine(_dir, thing + ".pem");
        var key = Path.Combine(_dir, thing + "-key.pem");
        await IssueAsync(thing, thing, "extendedKeyUsage=clientAuth", key, cert);
        return (cert, key);
    }

    private async Task IssueAsync(string name, string cn, string extensions, string keyFile, string certFile)
    {
        var csr = Path.Combine(_dir, name + ".csr");
        var ext = Path.Combine(_dir, name + ".ext");
        await File.WriteAllTextAsync(ext, extensions + "\n");
        await RunAsync("genrsa", "-traditional", "-out", keyFile, "2048");
        await RunAsync("req", "-new", "-key", keyFile, "-out", csr, "-subj", "/CN=" + cn);
        await RunAsync("x509", "-req", "-in", csr, "-CA", CaFile, "-CAkey", Path.Combine(_dir, "ca-key.pem"), "-CAcreateserial",
            "-out", certFile, "-days", "30", "-extfile", ext);
    }

    private static async Task RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo("openssl", args) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        using var p = Process.Start(start)!;
        var err = await p.StandardError.ReadToEndAsync();
        await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"openssl {string.Join(' ', args)} failed: {err}");
        }
    }
}
