namespace ShelfAgent.LocalIot.Broker;

/// <summary>The mosquitto.conf of a <see cref="MosquittoBroker"/> (mosquitto.conf(5)). Pure: values in, lines out.</summary>
internal static class MosquittoConfig
{
    public static IReadOnlyList<string> Lines(
        int port, string caFile, string certFile, string keyFile, string logFile, string directory, MosquittoBrokerOptions options)
    {
        var lines = new List<string>
        {
            // Started as root, mosquitto would drop to the mosquitto user and lose access to our 0600 keys (mosquitto 2.0.11
            // then logs "Unable to load CA certificates … Permission denied"; seen on Debian 12).
            "user root",
            // Never anything but the loopback interface.
            $"listener {port} 127.0.0.1",
            $"cafile {caFile}",
            $"certfile {certFile}",
            $"keyfile {keyFile}",
            "require_certificate true",
            "use_identity_as_username true",
            "tls_version tlsv1.2",
            $"log_dest file {logFile}",
            "log_type error",
            "log_type warning",
            "log_type notice",
            "log_type information",
            "connection_messages true",
            // Never drop messages for a slow or briefly offline subscriber: tests count every one.
            "max_queued_messages 0",
            $"persistence {(options.Persistence ? "true" : "false")}",
            $"persistence_location {directory}/",
        };
        if (options.AclFile is not null)
        {
            lines.Add($"acl_file {options.AclFile}");
        }

        lines.AddRange(options.ExtraLines);
        return lines;
    }
}
