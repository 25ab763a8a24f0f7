using ShelfAgent.Mqtt.Packets;

namespace ShelfAgent.Mqtt.Formatter;

/// <summary>Decodes the variable header and payload of each packet type (MQTT 3.1.1 chapter 3).</summary>
internal static class MqttPacketBodyDecoder
{
    public static MqttPacket Decode(byte header, ref MqttSpanReader reader)
    {
        var type = (MqttPacketType)(header >> 4);
        return type switch
        {
            MqttPacketType.Connect => DecodeConnect(ref reader),
            MqttPacketType.ConnAck => DecodeConnAck(ref reader),
            MqttPacketType.Publish => DecodePublish(header, ref reader),
            MqttPacketType.PubAck => IdOnly(ref reader, static id => new PubAckPacket(id), "PUBACK"),
            MqttPacketType.Subscribe => DecodeSubscribe(ref reader),
            MqttPacketType.SubAck => DecodeSubAck(ref reader),
            MqttPacketType.Unsubscribe => DecodeUnsubscribe(ref reader),
            MqttPacketType.UnsubAck => IdOnly(ref reader, static id => new UnsubAckPacket(id), "UNSUBACK"),
            MqttPacketType.PingReq => Empty(ref reader, PingReqPacket.Instance),
            MqttPacketType.PingResp => Empty(ref reader, PingRespPacket.Instance),
            MqttPacketType.Disconnect => Empty(ref reader, DisconnectPacket.Instance),
            // We never publish or subscribe with QoS 2, so a peer has no reason to send its flow (§4.3.3).
            _ => throw new MqttProtocolException($"{type} belongs to the QoS 2 flow, which this client does not use (MQTT 3.1.1 §4.3.3)."),
        };
    }

    private static ConnectPacket DecodeConnect(ref MqttSpanReader reader)
    {
        // §3.1.2.1 protocol name "MQTT", §3.1.2.2 level 4.
        var name = reader.ReadString();
        var level = reader.ReadByte();
        if (name != "MQTT" || level != 4)
        {
            throw new MqttProtocolException($"Unsupported protocol {name} level {level}; expected MQTT level 4 (MQTT 3.1.1 §3.1.2.1-2).");
        }

        var flags = reader.ReadByte();
        if ((flags & 0x01) != 0)
        {
            throw new MqttProtocolException("CONNECT reserved flag is set (MQTT 3.1.1 §3.1.2.3).");
        }

        var hasWill = (flags & 0x04) != 0;
        var willQos = (flags >> 3) & 0x03;
        var willRetain = (flags & 0x20) != 0;
        var hasPassword = (flags & 0x40) != 0;
        var hasUsername = (flags & 0x80) != 0;
        if (willQos == 3 || (!hasWill && (willQos != 0 || willRetain)))
        {
            throw new MqttProtocolException("CONNECT will QoS/retain flags are inconsistent (MQTT 3.1.2.6, §3.1.2.7).");
        }

        if (hasPassword && !hasUsername)
        {
            throw new MqttProtocolException("CONNECT has a password without a user name (MQTT 3.1.1 §3.1.2.9).");
        }

        var keepAlive = reader.ReadUInt16();
        var clientId = reader.ReadString();
        MqttWill? will = null;
        if (hasWill)
        {
            var topic = reader.ReadString();
            will = new MqttWill(topic, reader.ReadPrefixed().ToArray(), (MqttQos)willQos, willRetain);
        }

        var username = hasUsername ? reader.ReadString() : null;
        // Not a ?: expression: a null literal would convert to an empty ReadOnlyMemory through byte[].
        ReadOnlyMemory<byte>? password = null;
        if (hasPassword)
        {
            password = reader.ReadPrefixed().ToArray();
        }

        reader.EnsureEnd("CONNECT");
        return new ConnectPacket(clientId, (flags & 0x02) != 0, keepAlive, will, username, password);
    }

    private static ConnAckPacket DecodeConnAck(ref MqttSpanReader reader)
    {
        var ackFlags = reader.ReadByte();
        var code = reader.ReadByte();
        reader.EnsureEnd("CONNACK");
        if ((ackFlags & 0xFE) != 0)
        {
            throw new MqttProtocolException("CONNACK reserved flags are set (MQTT 3.1.1 §3.2.2.1).");
        }

        if (code > (byte)ConnectReturnCode.NotAuthorized)
        {
            throw new MqttProtocolException($"CONNACK return code {code} is reserved (MQTT 3.1.1 §3.2.2.3).");
        }

        var sessionPresent = (ackFlags & 0x01) != 0;
        if (sessionPresent && code != 0)
        {
            throw new MqttProtocolException("CONNACK refuses the connection but says a session is present (MQTT 3.1.1 §3.2.2.2).");
        }

        return new ConnAckPacket(sessionPresent, (ConnectReturnCode)code);
    }

    private static PublishPacket DecodePublish(byte header, ref MqttSpanReader reader)
    {
        var dup = (header & 0x08) != 0;
        var qos = (header >> 1) & 0x03;
        var retain = (header & 0x01) != 0;
        if (qos == 3)
        {
            throw new MqttProtocolException("PUBLISH with QoS 3 (MQTT 3.1.1 §3.3.1.2).");
        }

        if (dup && qos == 0)
        {
            throw new MqttProtocolException("PUBLISH with DUP set at QoS 0 (MQTT 3.1.1 §3.3.1.1).");
        }

        var topic = reader.ReadString();
        if (topic.Length == 0 || topic.AsSpan().IndexOfAny('+', '#') >= 0)
        {
            throw new MqttProtocolException("PUBLISH topic is empty or holds a wildcard (MQTT 3.1.1 §3.3.2.1, §4.7.3).");
        }

        var id = qos > 0 ? reader.ReadPacketId() : (ushort)0;
        var payload = reader.ReadRest().ToArray();
        return new PublishPacket(topic, payload, (MqttQos)qos, retain, dup, id);
    }

    private static SubscribePacket DecodeSubscribe(ref MqttSpanReader reader)
    {
        var id = reader.ReadPacketId();
        var filters = new List<MqttTopicFilter>();
        while (reader.Remaining > 0)
        {
            var filter = reader.ReadString();
            var qos = reader.ReadByte();
            if (qos > 2)
            {
                throw new MqttProtocolException("SUBSCRIBE requested QoS byte is invalid (MQTT 3.1.1 §3.8.3.1).");
            }

            filters.Add(new MqttTopicFilter(filter, (MqttQos)qos));
        }

        return filters.Count == 0
            ? throw new MqttProtocolException("SUBSCRIBE without a topic filter (MQTT 3.1.1 §3.8.3-3).")
            : new SubscribePacket(id, filters);
    }

    private static SubAckPacket DecodeSubAck(ref MqttSpanReader reader)
    {
        var id = reader.ReadPacketId();
        var codes = reader.ReadRest();
        if (codes.IsEmpty)
        {
            throw new MqttProtocolException("SUBACK without return codes (MQTT 3.1.1 §3.9.3).");
        }

        foreach (var code in codes)
        {
            if (code > 2 && code != SubAckPacket.Failure)
            {
                throw new MqttProtocolException($"SUBACK return code 0x{code:X2} is reserved (MQTT 3.1.1 §3.9.3).");
            }
        }

        return new SubAckPacket(id, codes.ToArray());
    }

    private static UnsubscribePacket DecodeUnsubscribe(ref MqttSpanReader reader)
    {
        var id = reader.ReadPacketId();
        var filters = new List<string>();
        while (reader.Remaining > 0)
        {
            filters.Add(reader.ReadString());
        }

        return filters.Count == 0
            ? throw new MqttProtocolException("UNSUBSCRIBE without a topic filter (MQTT 3.1.1 §3.10.3-2).")
            : new UnsubscribePacket(id, filters);
    }

    private static MqttPacket IdOnly(ref MqttSpanReader reader, Func<ushort, MqttPacket> create, string name)
    {
        var id = reader.ReadPacketId();
        reader.EnsureEnd(name);
        return create(id);
    }

    private static MqttPacket Empty(ref MqttSpanReader reader, MqttPacket packet)
    {
        reader.EnsureEnd(packet.Type.ToString());
        return packet;
    }
}
