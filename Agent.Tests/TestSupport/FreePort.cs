using System.Net;
using System.Net.Sockets;

namespace ShelfAgent.Tests.TestSupport;

/// <summary>Finds a TCP port on 127.0.0.1 that nothing listens on right now.</summary>
public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
