namespace ShelfAgent.IotCore;

/// <summary>The answer to an AWS IoT MQTT API request: from <c>&lt;topic&gt;/accepted</c> or <c>&lt;topic&gt;/rejected</c>.</summary>
/// <param name="Accepted">True when it came on <c>/accepted</c>.</param>
/// <param name="Payload">The reply's JSON, copied out of the MQTT buffer.</param>
/// <param name="Error">For a rejection, the fields AWS sent; null when accepted.</param>
public sealed record AwsIotReply(bool Accepted, ReadOnlyMemory<byte> Payload, AwsIotError? Error);
