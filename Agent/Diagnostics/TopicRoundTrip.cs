using System.Text;
using MQTTnet.Protocol;
using ShelfAgent.Transport;

namespace ShelfAgent.Diagnostics;

/// <summary>
/// doctor: a round trip on the device's own topic subtree over a live connection — SUBSCRIBE to
/// <c>dt/shelf/&lt;store&gt;/&lt;thing&gt;/doctor</c>, PUBLISH one QoS 1 message there, receive it back — reading the
/// MQTT 5 reason codes (SUBACK, PUBACK; MQTT 5 §3.9.3, §3.4.2.1) so a policy rejection is named as one, with the
/// iot: action it needs. AWS IoT Core answers a publish its policy denies by closing the connection; mosquitto's ACL
/// by PUBACK 0x87; both are recognised.
/// </summary>
public static class TopicRoundTrip
{
    /// <summary>Name of the finding.</summary>
    public const string Name = "round trip";

    /// <summary>Runs the round trip on <paramref name="client"/> (connected).</summary>
    public static async Task<CheckResult> RunAsync(MqttTransport client, string topic, bool mqtt5, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var nonce = Guid.NewGuid().ToString("N");
        var back = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(timeout);
        try
        {
            var granted = await client.SubscribeAsync(topic, MqttQualityOfServiceLevel.AtLeastOnce, m =>
            {
                if (Encoding.UTF8.GetString(m.Payload).Contains(nonce, StringComparison.Ordinal))
                {
                    back.TrySetResult();
                }

                return ValueTask.CompletedTask;
            }, bound.Token).ConfigureAwait(false);
            if (granted.Length == 0 || granted[0] is null)
            {
                return new(
                    Name,
                    CheckStatus.Fail,
                    $"the broker refused the subscription to {topic} (SUBACK reason ≥ 0x80, e.g. not authorized (0x87)): " +
                    $"the IoT policy must allow iot:Subscribe on topicfilter/{topic} and iot:Receive on topic/{topic}; " +
                    "attach the Cloud stack's device policy to this certificate");
            }

            var payload = Encoding.UTF8.GetBytes($$"""{"doctor":"{{nonce}}"}""");
            await client.PublishAsync(topic, payload, MqttQualityOfServiceLevel.AtLeastOnce, retain: false, bound.Token).ConfigureAwait(false);
            await back.Task.WaitAsync(bound.Token).ConfigureAwait(false);
            return new(
                Name,
                CheckStatus.Ok,
                $"published to {topic} and received it back ({(mqtt5 ? "SUBACK granted QoS 1, PUBACK success (0x00)" : "MQTT 3.1.1")}): " +
                "the policy allows this device's topics");
        }
        catch (MqttPublishRefusedException e)
        {
            return new(
                Name,
                CheckStatus.Fail,
                $"the broker refused the publish to {topic}: {ReasonCodes.Describe(e.ReasonCode)}: {(e.ReasonCode == 0x87
                    ? $"a policy rejection — the IoT policy does not allow iot:Publish on topic/{topic}; " +
                      "attach the Cloud stack's device policy (Device:StoreId must match the thing's storeId attribute)"
                    : ReasonCodes.Hint(e.ReasonCode) ?? "see the broker's log")}");
        }
        catch (MqttNotConnectedException)
        {
            return new(
                Name,
                CheckStatus.Fail,
                $"the broker closed the connection at the publish to {topic}: AWS IoT Core does this when the policy denies iot:Publish on it; " +
                "check the policy attached to this certificate and that Device:StoreId matches the thing's storeId attribute");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new(
                Name,
                CheckStatus.Fail,
                $"nothing came back on {topic} within {timeout.TotalSeconds:0} s: the policy may deny iot:Receive on topic/{topic}" +
                $"{(mqtt5 ? "" : "; with MQTT 3.1.1 a refused publish looks like success — set Mqtt:ProtocolVersion to 5 to see the reason code")}");
        }
        finally
        {
            try
            {
                using var unsubscribe = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await client.UnsubscribeAsync(topic, unsubscribe.Token).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // Best effort: the doctor's connection ends right after.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }
    }
}
