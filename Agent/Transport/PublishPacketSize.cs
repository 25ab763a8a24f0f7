namespace ShelfAgent.Transport;

/// <summary>
/// How many bytes a PUBLISH packet takes (MQTT 5 §3.3, MQTT 3.1.1 §3.3): the fixed header (one byte and the Remaining
/// Length as a variable byte integer, §1.5.5 / §2.2.3), the topic name with its two-byte length (empty when an MQTT 5
/// topic alias stands for it), the packet id (QoS 1), with MQTT 5 the properties and their length, then the payload.
/// The one formula for the size of a publish: the transport paces by it and the publisher sizes its batches to the
/// AWS IoT byte budget by it; the metered channel charges the exact packet MQTTnet wrote. Pure.
/// </summary>
internal static class PublishPacketSize
{
    /// <summary>MQTT 5 Topic Alias property: identifier 0x23 and a two-byte value (§3.3.2.3.4).</summary>
    public const int TopicAliasPropertyBytes = 3;

    /// <summary>The packet's size in bytes.</summary>
    /// <param name="topicBytes">UTF-8 bytes of the topic name as sent (0 when an alias stands for it).</param>
    /// <param name="payloadBytes">Payload bytes.</param>
    /// <param name="withPacketId">QoS 1 (or 2): a two-byte packet id follows the topic.</param>
    /// <param name="propertyBytes">MQTT 5: bytes of the properties (without their length); null for MQTT 3.1.1, which has none.</param>
    public static int Of(int topicBytes, int payloadBytes, bool withPacketId, int? propertyBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(topicBytes);
        ArgumentOutOfRangeException.ThrowIfNegative(payloadBytes);
        var remaining = 2 + topicBytes + (withPacketId ? 2 : 0) + (propertyBytes is { } p ? VariableByteIntegerSize(p) + p : 0) + payloadBytes;
        return 1 + VariableByteIntegerSize(remaining) + remaining;
    }

    /// <summary>
    /// The largest payload whose QoS 1 PUBLISH on <paramref name="topicBytes"/> costs at most <paramref name="wireBudget"/>
    /// bytes on the wire (<see cref="PublishRateLimiter.WireCost"/>: TLS records included), whatever the protocol: it
    /// counts the topic and a topic alias property, the most an MQTT 5 publish of ours carries. 0 when none fits.
    /// </summary>
    public static int LargestPayloadWithin(int wireBudget, int topicBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(wireBudget);
        // The overhead only grows with the payload (a longer Remaining Length, more TLS records), so the overhead of a
        // payload as large as the budget bounds that of every smaller one.
        var overhead = PublishRateLimiter.WireCost(Of(topicBytes, wireBudget, withPacketId: true, TopicAliasPropertyBytes)) - wireBudget;
        return Math.Max(0, wireBudget - overhead);
    }

    // MQTT 5 §1.5.5, 3.1.1 §2.2.3: seven bits per byte.
    private static int VariableByteIntegerSize(int value) => value switch
    {
        < 128 => 1,
        < 16_384 => 2,
        < 2_097_152 => 3,
        _ => 4,
    };
}
