namespace ShelfAgent.Simulator.Scale;

/// <summary><c>--broker</c>: whose broker the fleet loads.</summary>
public enum BrokerMode
{
    /// <summary>One already running at --host/--port, trusting the CA in --certs (./demo.sh's, or AWS with --i-mean-aws).</summary>
    External,

    /// <summary>A mosquitto of the simulator's own (LocalIotCore's MosquittoBroker): mutual TLS, a per-thing ACL, restartable.</summary>
    Mosquitto,

    /// <summary>The local AWS IoT Core (Tools/LocalIotCore): things, certificates, IoT policies, shadows and jobs; the rehearsals need it.</summary>
    LocalIotCore,
}
