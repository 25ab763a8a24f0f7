using ShelfAgent.Mqtt.Packets;

namespace ShelfAgent.Mqtt;

/// <summary>The broker answered CONNECT with a CONNACK refusing the connection (MQTT 3.1.1 §3.2.2.3).</summary>
public sealed class MqttConnectionRefusedException : MqttException
{
    /// <summary>Creates the exception for a CONNACK return code.</summary>
    public MqttConnectionRefusedException(ConnectReturnCode returnCode)
        : base($"The broker refused the connection: {Describe(returnCode)} (CONNACK {(byte)returnCode}).", HintFor(returnCode))
    {
        ReturnCode = returnCode;
    }

    /// <summary>The CONNACK return code.</summary>
    public ConnectReturnCode ReturnCode { get; }

    /// <summary>Readable text for a CONNACK return code (§3.2.2.3, table 3.1).</summary>
    public static string Describe(ConnectReturnCode code) => code switch
    {
        ConnectReturnCode.Accepted => "accepted",
        ConnectReturnCode.UnacceptableProtocolVersion => "unacceptable protocol version: the broker does not speak MQTT 3.1.1",
        ConnectReturnCode.IdentifierRejected => "identifier rejected: the broker does not allow this client id",
        ConnectReturnCode.ServerUnavailable => "server unavailable: the MQTT service is down",
        ConnectReturnCode.BadUsernameOrPassword => "bad user name or password",
        ConnectReturnCode.NotAuthorized => "not authorized: the broker rejected this certificate or policy",
        _ => $"unknown return code {(byte)code}",
    };

    private static string? HintFor(ConnectReturnCode code) => code switch
    {
        ConnectReturnCode.IdentifierRejected => "Use the thing name as client id (Device:ThingName); AWS IoT client ids are at most 128 characters.",
        ConnectReturnCode.NotAuthorized => "Check the certificate is ACTIVE and attached to the thing, and that its policy allows iot:Connect for this client id.",
        ConnectReturnCode.ServerUnavailable => "Retry later; the client keeps reconnecting with backoff.",
        ConnectReturnCode.BadUsernameOrPassword => "Check Mqtt:Username/Mqtt:Password (AWS IoT with certificates needs neither).",
        _ => null,
    };
}
