namespace ShelfAgent.Transport;

/// <summary>
/// MQTT 5 reason codes (MQTT 5 §2.4, table 2-6) as a technician reads them: the code's name and what to do.
/// CONNACK, PUBACK and DISCONNECT share one numbering, so one table serves all three. MQTTnet maps MQTT 3.1.1
/// CONNACK return codes onto the same values, so 3.1.1 refusals read the same way. Pure.
/// </summary>
public static class ReasonCodes
{
    /// <summary>True for codes that mean success (below 0x80, MQTT 5 §2.4).</summary>
    public static bool IsSuccess(int code) => code < 0x80;

    /// <summary>The spec's name of <paramref name="code"/>, e.g. "not authorized" for 0x87.</summary>
    public static string Name(int code) => code switch
    {
        0x00 => "success",
        0x04 => "disconnect with will message",
        0x10 => "no matching subscribers",
        0x80 => "unspecified error",
        0x81 => "malformed packet",
        0x82 => "protocol error",
        0x83 => "implementation specific error",
        0x84 => "unsupported protocol version",
        0x85 => "client identifier not valid",
        0x86 => "bad user name or password",
        0x87 => "not authorized",
        0x88 => "server unavailable",
        0x89 => "server busy",
        0x8A => "banned",
        0x8B => "server shutting down",
        0x8C => "bad authentication method",
        0x8D => "keep alive timeout",
        0x8E => "session taken over",
        0x8F => "topic filter invalid",
        0x90 => "topic name invalid",
        0x91 => "packet identifier in use",
        0x93 => "receive maximum exceeded",
        0x94 => "topic alias invalid",
        0x95 => "packet too large",
        0x96 => "message rate too high",
        0x97 => "quota exceeded",
        0x98 => "administrative action",
        0x99 => "payload format invalid",
        0x9A => "retain not supported",
        0x9B => "QoS not supported",
        0x9C => "use another server",
        0x9D => "server moved",
        0x9F => "connection rate exceeded",
        0xA0 => "maximum connect time",
        _ => "unknown reason",
    };

    /// <summary>"not authorized (0x87)".</summary>
    public static string Describe(int code) => $"{Name(code)} (0x{code:X2})";

    /// <summary>What a technician should check for <paramref name="code"/>, or null when there is nothing to do.</summary>
    public static string? Hint(int code) => code switch
    {
        0x84 => "The broker does not speak this MQTT version: set Mqtt:ProtocolVersion to 3.1.1 (or 5).",
        0x85 => "Use the thing name as client id (Device:ThingName); AWS IoT client ids are at most 128 characters.",
        0x86 => "Check Mqtt:Username/Mqtt:Password (AWS IoT with certificates needs neither).",
        0x87 => "The broker's policy denies this: for AWS IoT check that the certificate is ACTIVE, attached to the thing, " +
                "and that its policy allows this client id and topic (iot:Connect, iot:Publish, iot:RetainPublish for retained messages).",
        0x88 or 0x89 or 0x8B => "The broker is unavailable or overloaded; the agent keeps the readings and retries with backoff.",
        0x8A => "The broker banned this client; ask the broker's operator.",
        0x8E => "Another connection took the same client id: two devices (or two agents) use the same Device:ThingName.",
        0x90 or 0x8F => "The topic is not allowed by the broker; check Device:StoreId and Device:ThingName (they become topic levels).",
        0x93 => "Lower Mqtt:MaxInFlight.",
        0x95 => "Lower Publish:MaxPayloadBytes (AWS IoT allows 128 KB).",
        0x96 or 0x97 or 0x9F => "The broker throttles this device: keep Mqtt:MaxPublishesPerSecond and Mqtt:MaxBytesPerSecond at AWS IoT's limits " +
                                "(100/s, 524288); the agent backs off and keeps the readings.",
        0x9A => "The broker does not accept retained messages (the status topic and the will are retained).",
        0x9B => "The broker does not accept QoS 1 here.",
        0x9C or 0x9D => "The broker asks the device to use another server: check Mqtt:Host.",
        _ => null,
    };
}
