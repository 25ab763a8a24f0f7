namespace ShelfAgent.Transport;

/// <summary>
/// A publish refusal that most likely explains why the broker closed a connection: mosquitto closes a TLS connection
/// right after its PUBACK 0x87, and AWS IoT Core closes instead of refusing.
/// </summary>
/// <param name="Topic">The refused topic.</param>
/// <param name="Code">The PUBACK reason code it was refused with (on this connection or before).</param>
/// <param name="Unanswered">True when a publish to it still awaited its PUBACK at the close (the close came first);
/// false when the broker refused one on this connection and then closed.</param>
internal sealed record RefusalAtClose(string Topic, int Code, bool Unanswered);
