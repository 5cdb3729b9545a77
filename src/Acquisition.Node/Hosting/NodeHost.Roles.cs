using Akka.Actor;
using Akka.Configuration;
using Eeg.Acquisition.Actors;
using Eeg.Acquisition.Pipeline;
using Eeg.Gateway.Configuration;
using Eeg.Gateway.Hosting;
using Eeg.Pipeline.Cluster;
using Eeg.Pipeline.Configuration;
using Eeg.Acquisition.FanOut;
using Eeg.Pipeline.Sinks;
using Eeg.Processing.Recording;
using Eeg.Processing.Stages;
using Eeg.Shared.Status;

namespace Eeg.Acquisition.Hosting;

// The roles this process runs besides acquisition, and how their sinks join the fan-out.
public sealed partial class NodeHost
{
    /// <summary>Settings of the roles hosted next to acquisition.</summary>
    internal sealed record RoleSettings(GatewaySettings Gateway);

    /// <summary>What the roles started: the gateway, when enabled.</summary>
    public sealed record RunningRoles(GatewayServer? Gateway);

    /// <summary>The roles running in this process.</summary>
    public RunningRoles Roles { get; private init; } = new((GatewayServer?)null);

    // reference.conf alone (no config file, no EEG_* variable: a plain `./Acquisition.Node`) is the very
    // object ConfigLoader.Reference, and Akka refuses a config as its own fallback.
    internal static RoleSettings ReadRoleSettings(Config config) => new(GatewaySettings.FromConfig(
        ReferenceEquals(config, ConfigLoader.Reference) ? config : config.WithFallback(ConfigLoader.Reference)));

    private static async Task<RunningRoles> StartRolesAsync(RoleSettings roles, ClusterNodeSettings cluster, ActorSystem system, Func<CancellationToken, Task<PipelineStatus>> status, CancellationToken cancellationToken)
    {
        GatewayServer? gateway = roles.Gateway.Enabled && cluster.Has(ClusterNodeSettings.Gateway)
            ? await GatewayServer.StartAsync(roles.Gateway, system, status, cancellationToken)
            : null;
        return new RunningRoles(gateway);
    }

    /// <summary>
    /// Finds every stage's type and binds its settings, before anything starts, so a mistake stops
    /// start-up with a line naming the stage.
    /// </summary>
    private static IReadOnlyList<StageBlueprint> ResolveStages(PipelineSettings settings)
    {
        _ = typeof(Eeg.Plugins.Examples.BandPowerStage).Assembly; // loaded, so the examples resolve by name
        return new StageFactory(settings.StageDirectory).ResolveAll(settings.Stages);
    }

    private static void AddRoleSinks(List<SinkRegistration> sinks, AcquisitionPipeline pipeline, RecorderSettings recorder, RunningRoles roles, IReadOnlyList<StageBlueprint> stages, ActorSystem system, ClusterNodeSettings cluster)
    {
        PipelineSettings settings = pipeline.Settings;
        AddRemoteSinks(sinks, settings, cluster);
        if (!cluster.Has(ClusterNodeSettings.Processing))
        {
            // The recorder and the stages run on the processing node, fed by remote-recorder.
            stages = [];
            recorder = recorder with { Enabled = false };
        }
        if (roles.Gateway is { } gateway && settings.Sinks.FirstOrDefault(s => s.Name == "scope") is { } scopeSink)
        {
            // The scope is the latency-critical sink and its per-frame work is a 30 ns encode into
            // the browsers' own drop-oldest queues: it runs inline on the DSP thread, no hop
            // (InlineFrameSink says why, docs/perf.md has the numbers). Its policy and depth are
            // the per-browser queues' (gateway.websocket.client-queue-depth).
            SinkCounters counters = SinkRegistry.For(system).Register(scopeSink);
            pipeline.FanOut.Add(new InlineFrameSink(scopeSink.Name, counters, gateway.Hub.Publish, gateway.Hub.SetStream));
        }
        if (recorder.Enabled && settings.Sinks.FirstOrDefault(s => s.Name == "recorder") is { } recorderSink)
        {
            sinks.Add(new SinkRegistration(recorderSink, counters => RecorderActor.Props(recorder, counters)));
        }

        // Each stage host keeps its own restart budget (max-restarts in restart-window); the
        // acquisition actor above it only restarts what the host lets fail.
        foreach (StageBlueprint stage in stages)
        {
            sinks.Add(new SinkRegistration(stage.Entry.ToSinkSettings(),
                counters => StageHostActor.Props(stage, counters, pipeline.Description)));
        }
    }

    /// <summary>Where to look: the web UI, the recordings.</summary>
    public IEnumerable<string> Banner()
    {
        if (Roles.Gateway is { } gateway)
        {
            yield return $"web UI (live scope): {gateway.BaseAddress}   stream: {new Uri(gateway.BaseAddress, "ws")}   status: {new Uri(gateway.BaseAddress, "status")}   metrics: {new Uri(gateway.BaseAddress, "metrics")}";
            yield return $"cluster console: {new Uri(gateway.BaseAddress, "cluster")} in a browser, or `dotnet run --project src/Gateway.Node -- console --url {gateway.BaseAddress}` (docs/api.md)";
        }
        if (Recorder is not null)
        {
            yield return Roles.Gateway is { } g
                ? $"recorder ready: POST {new Uri(g.BaseAddress, "recordings/start")} starts a recording, .../recordings/stop stops it"
                : "recorder ready";
        }
    }
}
