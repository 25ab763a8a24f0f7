namespace ShelfAgent.Transport.Wire;

/// <summary>
/// Follows the MQTT packets arriving from the broker, byte by byte as they are read, and refuses a stream that no
/// broker may send: a packet type a server never sends, a malformed Remaining Length (more than 4 bytes, MQTT 5
/// §1.5.5, 3.1.1 §2.2.3), or a packet larger than the limit. It sees each Remaining Length before MQTTnet does, and
/// MQTTnet allocates the whole declared body at once: refusing here means a broker that declares a 268 MB packet
/// costs us nothing. Pure: bytes in, <see cref="MqttProtocolException"/> out.
/// </summary>
public sealed class IncomingFrameGuard(int maxPacketBytes, bool mqtt5)
{
    private State _state = State.Header;
    private int _type;
    private int _lengthBytes;
    private long _remaining;
    private int _multiplier;

    private enum State
    {
        Header,
        Length,
        Body,
    }

    /// <summary>The largest whole packet (fixed header included) accepted.</summary>
    public int MaxPacketBytes => maxPacketBytes;

    /// <summary>Checks the next bytes of the stream; throws <see cref="MqttProtocolException"/> at the first bad one.</summary>
    public void Observe(ReadOnlySpan<byte> bytes)
    {
        var i = 0;
        while (i < bytes.Length)
        {
            switch (_state)
            {
                case State.Header:
                    _type = bytes[i] >> 4;
                    if (!ServerMaySend(_type, mqtt5))
                    {
                        throw new MqttProtocolException($"The broker sent a packet of type {_type} ({Name(_type)}), which a server never sends to a client.");
                    }

                    _state = State.Length;
                    _lengthBytes = 0;
                    _remaining = 0;
                    _multiplier = 1;
                    i++;
                    break;
                case State.Length:
                    var b = bytes[i++];
                    _remaining += (b & 0x7F) * (long)_multiplier;
                    _multiplier *= 128;
                    _lengthBytes++;
                    if ((b & 0x80) != 0)
                    {
                        if (_lengthBytes == 4)
                        {
                            throw new MqttProtocolException("The broker sent a Remaining Length of more than 4 bytes (malformed packet).");
                        }

                        break;
                    }

                    var total = 1 + _lengthBytes + _remaining;
                    if (total > maxPacketBytes)
                    {
                        throw new MqttProtocolException(
                            $"The broker declared a {Name(_type)} packet of {total:N0} bytes, " +
                            $"more than Mqtt:MaxIncomingPacketBytes ({maxPacketBytes:N0}); it was not read.");
                    }

                    _state = _remaining == 0 ? State.Header : State.Body;
                    break;
                case State.Body:
                    var take = (int)Math.Min(_remaining, bytes.Length - i);
                    _remaining -= take;
                    i += take;
                    if (_remaining == 0)
                    {
                        _state = State.Header;
                    }

                    break;
            }
        }
    }

    // MQTT 5 §2.1.2 / 3.1.1 §2.2.1: CONNECT, SUBSCRIBE, UNSUBSCRIBE and PINGREQ go client → server only; 0 is
    // reserved; 15 is AUTH in MQTT 5 and reserved in 3.1.1.
    private static bool ServerMaySend(int type, bool mqtt5) => type switch
    {
        2 or 3 or 4 or 5 or 6 or 7 or 9 or 11 or 13 or 14 => true,
        15 => mqtt5,
        _ => false,
    };

    private static string Name(int type) => type switch
    {
        0 => "reserved",
        1 => "CONNECT",
        2 => "CONNACK",
        3 => "PUBLISH",
        4 => "PUBACK",
        5 => "PUBREC",
        6 => "PUBREL",
        7 => "PUBCOMP",
        8 => "SUBSCRIBE",
        9 => "SUBACK",
        10 => "UNSUBSCRIBE",
        11 => "UNSUBACK",
        12 => "PINGREQ",
        13 => "PINGRESP",
        14 => "DISCONNECT",
        _ => "AUTH",
    };
}
