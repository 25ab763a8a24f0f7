using System.Buffers;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ShelfAgent.IotCore.Provisioning;

/// <summary>
/// Topics and JSON payloads of the fleet provisioning MQTT API (Developer Guide, "Fleet provisioning MQTT API":
/// CreateCertificateFromCsr and RegisterThing, JSON format). Pure: bytes in, values out.
/// </summary>
public static partial class ProvisioningPayloads
{
    /// <summary>CreateCertificateFromCsr request topic.</summary>
    public const string CreateFromCsrTopic = "$aws/certificates/create-from-csr/json";

    /// <summary>True for a template name AWS accepts: <c>[0-9A-Za-z_-]{1,36}</c>.</summary>
    public static bool IsTemplateName(string name) => name is not null && TemplateNamePattern().IsMatch(name);

    /// <summary>RegisterThing request topic for <paramref name="templateName"/>.</summary>
    public static string RegisterThingTopic(string templateName)
    {
        if (!IsTemplateName(templateName))
        {
            throw new ArgumentException($"'{templateName}' is not a provisioning template name ([0-9A-Za-z_-], 1–36 characters).", nameof(templateName));
        }

        return $"$aws/provisioning-templates/{templateName}/provision/json";
    }

    /// <summary><c>{"certificateSigningRequest": "-----BEGIN CERTIFICATE REQUEST-----…"}</c>.</summary>
    public static byte[] CreateFromCsrRequest(string csrPem)
    {
        ArgumentException.ThrowIfNullOrEmpty(csrPem);
        return Write(w => w.WriteString("certificateSigningRequest"u8, csrPem));
    }

    /// <summary><c>{"certificateOwnershipToken": "…", "parameters": {…}}</c>.</summary>
    public static byte[] RegisterThingRequest(string ownershipToken, IReadOnlyDictionary<string, string> parameters)
    {
        ArgumentException.ThrowIfNullOrEmpty(ownershipToken);
        ArgumentNullException.ThrowIfNull(parameters);
        return Write(w =>
        {
            w.WriteString("certificateOwnershipToken"u8, ownershipToken);
            w.WriteStartObject("parameters"u8);
            foreach (var (key, value) in parameters)
            {
                w.WriteString(key, value);
            }

            w.WriteEndObject();
        });
    }

    /// <summary>Reads an accepted CreateCertificateFromCsr reply; false when a field is missing.</summary>
    public static bool TryReadIssuedCertificate(ReadOnlySpan<byte> payload, out IssuedCertificate certificate)
    {
        string? id = null, pem = null, token = null;
        var ok = TryReadTop(payload, (ref reader) =>
        {
            if (reader.TokenType != JsonTokenType.PropertyName)
            {
                return;
            }

            if (reader.ValueTextEquals("certificateId"u8))
            {
                id = ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("certificatePem"u8))
            {
                pem = ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("certificateOwnershipToken"u8))
            {
                token = ReadString(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        });
        certificate = new IssuedCertificate(id ?? "", pem ?? "", token ?? "");
        return ok && !string.IsNullOrEmpty(id) && !string.IsNullOrEmpty(pem) && !string.IsNullOrEmpty(token);
    }

    /// <summary>Reads an accepted RegisterThing reply; false when <c>thingName</c> is missing.</summary>
    public static bool TryReadRegisteredThing(ReadOnlySpan<byte> payload, out RegisteredThing thing)
    {
        string? name = null;
        var configuration = new Dictionary<string, string>(StringComparer.Ordinal);
        var ok = TryReadTop(payload, (ref reader) =>
        {
            if (reader.ValueTextEquals("thingName"u8))
            {
                name = ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("deviceConfiguration"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    reader.Skip();
                    return;
                }

                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var key = reader.GetString()!;
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        configuration[key] = reader.GetString()!;
                    }
                    else
                    {
                        using var doc = JsonDocument.ParseValue(ref reader);
                        configuration[key] = doc.RootElement.GetRawText();
                    }
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        });
        thing = new RegisteredThing(name ?? "", configuration);
        return ok && !string.IsNullOrEmpty(name);
    }

    private delegate void PropertyReader(ref Utf8JsonReader reader);

    private delegate void BodyWriter(Utf8JsonWriter writer);

    private static byte[] Write(BodyWriter body)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    // Calls read positioned on each top-level property name; it must consume the value.
    private static bool TryReadTop(ReadOnlySpan<byte> payload, PropertyReader read)
    {
        var reader = new Utf8JsonReader(payload);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                read(ref reader);
            }

            return reader.TokenType == JsonTokenType.EndObject;
        }
        catch (JsonException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static string? ReadString(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.GetString();
        }

        reader.Skip();
        return null;
    }

    [GeneratedRegex("^[0-9A-Za-z_-]{1,36}$")]
    private static partial Regex TemplateNamePattern();
}
