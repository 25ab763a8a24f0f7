using System.Text;
using MQTTnet.Protocol;

namespace ShelfAgent.Transport;

/// <summary>
/// AWS IoT Core message-broker limits (AWS IoT developer guide, "AWS IoT Core message broker and protocol limits
/// and quotas"), enforced on our side so a mistake gets a clear error instead of a silent disconnect.
/// </summary>
public static class AwsIotLimits
{
    /// <summary>Largest publish payload: 128 KB. Enforced for every broker.</summary>
    public const int MaxPayloadBytes = 131_072;

    /// <summary>Largest topic in UTF-8 bytes.</summary>
    public const int MaxTopicBytes = 256;

    /// <summary>At most 8 levels, i.e. 7 slashes.</summary>
    public const int MaxTopicSlashes = 7;

    /// <summary>Smallest keep-alive AWS IoT accepts.</summary>
    public const int MinKeepAliveSeconds = 30;

    /// <summary>Largest keep-alive AWS IoT accepts.</summary>
    public const int MaxKeepAliveSeconds = 1200;

    // Reserved topics a device may publish to: shadows, jobs, defender under $aws/things/, fleet provisioning, basic ingest.
    private static readonly string[] PublishablePrefixes = ["$aws/things/", "$aws/certificates/", "$aws/provisioning-templates/", "$aws/rules/"];

    /// <summary>
    /// True for AWS IoT Core data endpoints, the one rule the agent uses to recognise them (config checks, keep-alive
    /// range, root CAs): <c>*.iot.&lt;region&gt;.amazonaws.com</c>, the China regions' <c>….amazonaws.com.cn</c>, and
    /// interface VPC endpoints <c>vpce-….data.iot.&lt;region&gt;.vpce.amazonaws.com</c>. A custom domain is not
    /// recognised: set <c>AwsIotRules</c> for it.
    /// </summary>
    public static bool IsAwsIotEndpoint(string? host)
    {
        if (string.IsNullOrEmpty(host))
        {
            return false;
        }

        var labels = host.TrimEnd('.').ToUpperInvariant().Split('.');
        var end = labels.Length;
        if (end >= 2 && labels[end - 1] == "CN" && labels[end - 2] == "COM")
        {
            end--;
        }

        if (end < 5 || labels[end - 1] != "COM" || labels[end - 2] != "AMAZONAWS")
        {
            return false;
        }

        // <…>.iot.<region>.amazonaws.com, or <…>.iot.<region>.vpce.amazonaws.com
        return labels[end - 4] == "IOT" || (end >= 6 && labels[end - 3] == "VPCE" && labels[end - 5] == "IOT");
    }

    /// <summary>Checks an outgoing publish; throws <see cref="ArgumentException"/> with the rule broken.</summary>
    public static void CheckPublish(string topic, int payloadBytes, MqttQualityOfServiceLevel qos, bool awsRules)
    {
        MqttTopic.ValidateName(topic, nameof(topic));
        CheckQos(qos);
        if (payloadBytes > MaxPayloadBytes)
        {
            throw new ArgumentException(
                $"Payload of {payloadBytes} bytes exceeds the AWS IoT Core limit of {MaxPayloadBytes} bytes (128 KB).", nameof(payloadBytes));
        }

        if (!awsRules)
        {
            return;
        }

        if (topic.StartsWith('$') && !PublishablePrefixes.Any(p => topic.StartsWith(p, StringComparison.Ordinal)))
        {
            throw new ArgumentException(
                $"Topic '{topic}' is reserved: AWS IoT Core allows publishing only to documented $aws/ topics " +
                "(things/, certificates/, provisioning-templates/, rules/).",
                nameof(topic));
        }

        CheckLength(BasicIngestStripped(topic), nameof(topic));
    }

    /// <summary>Checks a subscription; throws <see cref="ArgumentException"/> with the rule broken.</summary>
    public static void CheckSubscribe(string filter, MqttQualityOfServiceLevel qos, bool awsRules)
    {
        MqttTopic.ValidateFilter(filter, nameof(filter));
        CheckQos(qos);
        if (awsRules)
        {
            CheckLength(filter, nameof(filter));
        }
    }

    private static void CheckQos(MqttQualityOfServiceLevel qos)
    {
        if (qos == MqttQualityOfServiceLevel.ExactlyOnce)
        {
            throw new ArgumentOutOfRangeException(nameof(qos), qos, "QoS 2 is not supported: AWS IoT Core accepts QoS 0 and 1 only.");
        }

        if ((byte)qos > 2)
        {
            throw new ArgumentOutOfRangeException(nameof(qos), qos, "QoS must be 0 or 1.");
        }
    }

    private static void CheckLength(string topic, string paramName)
    {
        var bytes = Encoding.UTF8.GetByteCount(topic);
        if (bytes > MaxTopicBytes)
        {
            throw new ArgumentException($"Topic '{topic}' is {bytes} bytes; AWS IoT Core allows {MaxTopicBytes}.", paramName);
        }

        if (topic.AsSpan().Count('/') > MaxTopicSlashes)
        {
            throw new ArgumentException($"Topic '{topic}' has more than 8 levels ({MaxTopicSlashes} slashes), the AWS IoT Core limit.", paramName);
        }
    }

    // Basic Ingest: the "$aws/rules/<rule-name>/" prefix does not count toward the topic limits.
    private static string BasicIngestStripped(string topic)
    {
        const string prefix = "$aws/rules/";
        if (!topic.StartsWith(prefix, StringComparison.Ordinal))
        {
            return topic;
        }

        var end = topic.IndexOf('/', prefix.Length);
        return end < 0 ? "" : topic[(end + 1)..];
    }
}
