namespace ShelfAgent.Transport;

/// <summary>Why an established connection ended (<see cref="MqttExceptionTranslator.ConnectionEnded"/>).</summary>
/// <param name="Reason">What the Disconnected event reports; null for an orderly stop.</param>
/// <param name="Kind">How it ended.</param>
/// <param name="ReasonCode">The broker's DISCONNECT reason code, 0 when it sent none.</param>
/// <param name="Refusal">For a close by the broker: the publish refusal that most likely explains it, if any.</param>
internal sealed record ConnectionEnd(MqttException? Reason, ConnectionEndKind Kind, int ReasonCode = 0, RefusalAtClose? Refusal = null);
