using System.CommandLine;
using ShelfAgent.LocalLake.Releases;

namespace ShelfAgent.LocalLake.Cli;

/// <summary>
/// <c>--iot-core-state DIR --base-url https://HOST/</c>: the options of the commands that send releases to devices on the
/// local IoT Core (canary, watch, rollback), read the same way by each.
/// </summary>
internal sealed class DeliveryOptions
{
    private readonly Option<string?> _state = new("--iot-core-state")
    {
        Description = "the state folder of a running local-iot-core: publish and queue the profiles-update jobs this step sends",
    };

    private readonly Option<string?> _baseUrl = new("--base-url")
    {
        Description = "with --iot-core-state: where the published files are served (https://…/, e.g. by local-lake serve)",
    };

    /// <summary>Adds both options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(_state);
        command.Options.Add(_baseUrl);
    }

    /// <summary>The target, checked (a running core, an https root); null without <c>--iot-core-state</c>.</summary>
    /// <exception cref="ArgumentException">--iot-core-state without --base-url, or a base URL that is not https.</exception>
    /// <exception cref="InvalidOperationException">No core runs on the state folder.</exception>
    public DeliveryTarget? Target(ParseResult parse)
    {
        if (parse.GetValue(_state) is not { } state)
        {
            return null;
        }

        var target = new DeliveryTarget(state, Https(parse.GetValue(_baseUrl) ?? throw new ArgumentException("--iot-core-state needs --base-url")));
        ReleaseDelivery.EnsureRunning(target);
        return target;
    }

    /// <summary>The root URL the published files are served at: https only (the agent downloads over HTTPS only).</summary>
    public static Uri Https(string url)
    {
        var root = new Uri(url.EndsWith('/') ? url : url + "/");
        return root.Scheme == Uri.UriSchemeHttps ? root : throw new ArgumentException("--base-url must be https:// (the agent downloads over HTTPS only)");
    }
}
