using ShelfAgent.Composition;

namespace ShelfAgent.Tests.Architecture;

/// <summary>
/// The dependency rule of docs/architecture.md, checked on the compiled agent: a namespace may use its own layer and
/// the layers below it, never one above. The layers read like the data path, sensor → stock → outbox → contract →
/// transport, with configuration, the hosted pipeline and the composition root on top.
/// </summary>
public sealed class LayeringTests
{
    /// <summary>Bottom first. A namespace belongs to the longest prefix listed; one row is one layer.</summary>
    private static readonly string[][] Layers =
    [
        ["ShelfAgent.Validation", "ShelfAgent.Security"],
        ["ShelfAgent.Hardware"],
        ["ShelfAgent.Storage"],
        ["ShelfAgent.Drivers"],
        ["ShelfAgent.Sensors"],
        ["ShelfAgent.Stock"],
        // A simulated load cell simulates a shelf of items, so it sits above the stock types it simulates.
        ["ShelfAgent.Sensors.Simulated"],
        ["ShelfAgent.Outbox"],
        ["ShelfAgent.Contract"],
        ["ShelfAgent.Transport"],
        // Downloading and verifying signed files (updates, profiles): HTTPS and crypto, nothing of ours.
        ["ShelfAgent.Artifacts"],
        // The time floor: whether the clock can be trusted, kept by a hosted service; above the domain, below configuration.
        ["ShelfAgent.Clock"],
        ["ShelfAgent.Config"],
        // Changes while the agent runs (shadow, jobs), judged by the config loader itself.
        ["ShelfAgent.Config.Runtime"],
        // AWS IoT Core's device APIs over MQTT: the request/reply plumbing, then what uses it.
        ["ShelfAgent.IotCore"],
        ["ShelfAgent.IotCore.Provisioning"],
        // Jobs and Shadow share a layer and may not use each other (Apart).
        ["ShelfAgent.IotCore.Shadow", "ShelfAgent.IotCore.Jobs"],
        // agent-update: a job operation over Artifacts plus the release folder and the health gate; profiles-update: a job
        // operation over Artifacts plus the profile release kept in the state folder. Neither uses the other.
        ["ShelfAgent.Update", "ShelfAgent.Profiles"],
        ["ShelfAgent.Pipeline"],
        ["ShelfAgent.Composition"],
        ["ShelfAgent.Diagnostics", "ShelfAgent.Backtest", "ShelfAgent.Watch"],
        ["ShelfAgent.Cli"],
        ["ShelfAgent"],
    ];

    /// <summary>Layers that hold the domain: they know nothing of configuration files, hosting or the composition.</summary>
    private const int LastDomainLayer = 9; // Transport

    /// <summary>
    /// Namespaces of one layer that must stay apart: the shadow and the jobs client both hand configuration to
    /// <c>Config.Runtime.IConfigApplier</c> and never reach into each other.
    /// </summary>
    private static readonly string[][] Apart =
    [
        ["ShelfAgent.IotCore.Shadow", "ShelfAgent.IotCore.Jobs"],
    ];

    private static readonly Type[] AgentTypes = typeof(AgentComposition).Assembly.GetTypes();

    [Fact]
    public void Every_agent_namespace_is_placed_in_a_layer()
    {
        var unplaced = AgentTypes.Select(TypeReferences.NamespaceOf).Where(n => n.StartsWith("ShelfAgent", StringComparison.Ordinal))
            .Distinct().Where(n => LayerOf(n) is null).ToList();
        Assert.True(unplaced.Count == 0, "add these namespaces to LayeringTests.Layers and docs/architecture.md: " + string.Join(", ", unplaced));
    }

    [Fact]
    public void No_namespace_depends_on_a_layer_above_its_own()
    {
        var violations = (from type in AgentTypes
                          let origin = TypeReferences.NamespaceOf(type)
                          let fromLayer = LayerOf(origin)
                          where fromLayer is not null
                          from used in TypeReferences.Of(type)
                          where used.Assembly == type.Assembly
                          let to = TypeReferences.NamespaceOf(used)
                          let toLayer = LayerOf(to)
                          where toLayer > fromLayer
                          select $"{Outer(type).FullName} ({origin}) uses {Outer(used).FullName} ({to})").Distinct().Order().ToList();
        Assert.True(violations.Count == 0, "dependencies against the rule in docs/architecture.md:\n" + string.Join("\n", violations));
    }

    [Fact]
    public void Shadow_and_jobs_never_use_each_other()
    {
        var violations = (from apart in Apart
                          from type in AgentTypes
                          let origin = TypeReferences.NamespaceOf(type)
                          let own = apart.FirstOrDefault(n => IsIn(origin, n))
                          where own is not null
                          from used in TypeReferences.Of(type)
                          where used.Assembly == type.Assembly
                          let to = TypeReferences.NamespaceOf(used)
                          where apart.Any(n => n != own && IsIn(to, n))
                          select $"{Outer(type).FullName} ({origin}) uses {Outer(used).FullName} ({to})").Distinct().Order().ToList();
        Assert.True(violations.Count == 0, "these must meet only through Config.Runtime.IConfigApplier:\n" + string.Join("\n", violations));
    }

    [Fact]
    public void Domain_layers_use_no_configuration_files_or_hosting()
    {
        string[] forbidden =
        [
            "Microsoft.Extensions.Hosting",
            "Microsoft.Extensions.Configuration",
            "Microsoft.Extensions.DependencyInjection",
            "Microsoft.Extensions.Options",
        ];
        var violations = (from type in AgentTypes
                          let layer = LayerOf(TypeReferences.NamespaceOf(type))
                          where layer <= LastDomainLayer
                          from used in TypeReferences.Of(type)
                          let ns = used.Namespace ?? ""
                          where forbidden.Any(f => ns == f || ns.StartsWith(f + ".", StringComparison.Ordinal))
                          select $"{Outer(type).FullName} uses {used.FullName}").Distinct().Order().ToList();
        Assert.True(violations.Count == 0, "domain code must take values, not hosting or configuration:\n" + string.Join("\n", violations));
    }

    [Fact]
    public void Only_the_composition_root_names_the_real_buses()
    {
        var real = typeof(Buses).Assembly.GetType("ShelfAgent.Hardware.Linux.LinuxHardware", throwOnError: true)!;
        var users = (from type in AgentTypes
                     let ns = TypeReferences.NamespaceOf(type)
                     where ns != "ShelfAgent.Composition" && ns != "ShelfAgent.Hardware.Linux"
                     where TypeReferences.Of(type).Contains(real)
                     select Outer(type).FullName).Distinct().Order().ToList();
        Assert.True(users.Count == 0, "take an IHardwareAccess and let Composition pass Buses.Real: " + string.Join(", ", users));
    }

    [Fact]
    public void Type_references_include_what_only_an_async_lambda_names()
    {
        // The scanner itself: a dependency that appears only inside an async lambda's state machine still counts.
        var used = typeof(LayeringTests).Assembly.GetTypes().Where(t => IsWithin(t, typeof(UsesOnlyInALambda))).SelectMany(TypeReferences.Of).ToList();
        Assert.DoesNotContain(typeof(Uri), TypeReferences.Of(typeof(UsesOnlyInALambda)));
        Assert.Contains(typeof(Uri), used);
    }

    private static int? LayerOf(string ns)
    {
        var best = Layers.SelectMany((names, layer) => names.Select(n => (n, layer)))
            .Where(p => ns == p.n || ns.StartsWith(p.n + ".", StringComparison.Ordinal))
            .OrderByDescending(p => p.n.Length)
            .Select(p => (int?)p.layer)
            .FirstOrDefault();
        return best;
    }

    private static bool IsIn(string ns, string prefix) => ns == prefix || ns.StartsWith(prefix + ".", StringComparison.Ordinal);

    private static bool IsWithin(Type type, Type outer)
    {
        for (var t = type; t is not null; t = t.DeclaringType)
        {
            if (t == outer)
            {
                return true;
            }
        }

        return false;
    }

    private static Type Outer(Type type)
    {
        while (type.DeclaringType is { } outer)
        {
            type = outer;
        }

        return type;
    }

    private sealed class UsesOnlyInALambda
    {
        public static Func<Task<string>> Make() => async () =>
        {
            await Task.Yield();
            return new Uri("http://127.0.0.1/").Host;
        };
    }
}
