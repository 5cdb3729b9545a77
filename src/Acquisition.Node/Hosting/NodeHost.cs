using Akka.Actor;
using Akka.Configuration;
using Eeg.Acquisition.Actors;
using Eeg.Acquisition.Pipeline;
using Eeg.Pipeline.Cluster;
using Eeg.Pipeline.Configuration;
using Eeg.Pipeline.Control;
using Eeg.Pipeline.Dispatch;
using Eeg.Pipeline.Mailboxes;
using Eeg.Processing.Recording;
using Eeg.Processing.Stages;
using Eeg.Shared.Recording;

namespace Eeg.Acquisition.Hosting;

/// <summary>
/// The all-in-one node: one actor system with the acquisition role (source, ring, DSP, fan-out),
/// the processing role (recorder, stages) and the gateway role (web UI, WebSocket, /status,
/// /metrics), each sink behind its policy mailbox. Tests start it in-process; Program runs it
/// until Ctrl+C.
/// </summary>
public sealed partial class NodeHost : IAsyncDisposable
{
    private NodeHost(ActorSystem system, AcquisitionPipeline pipeline, IActorRef acquisition, PipelineSettings settings)
    {
        System = system;
        Pipeline = pipeline;
        Acquisition = acquisition;
        Settings = settings;
    }

    public ActorSystem System { get; }
    public AcquisitionPipeline Pipeline { get; }
    public IActorRef Acquisition { get; }
    public PipelineSettings Settings { get; }

    /// <summary>The recorder's actor, when recording is enabled.</summary>
    public IActorRef? Recorder { get; private set; }

    /// <summary>Completes when the source ends (a replayed file played to its end).</summary>
    public Task SourceCompletion => Pipeline.Completion;

    /// <summary>Reads all settings first (so a config mistake stops start-up before anything runs), then starts every role.</summary>
    public static async Task<NodeHost> StartAsync(Config config, TextWriter? statusOut, CancellationToken cancellationToken = default)
    {
        PipelineSettings requested = PipelineSettings.FromConfig(config);
        RecorderSettings recorder = RecorderSettings.FromConfig(config);
        RoleSettings roles = ReadRoleSettings(config);
        ClusterNodeSettings cluster = ClusterNodeSettings.FromConfig(config);
        if (!cluster.Has(ClusterNodeSettings.Acquisition))
        {
            throw new ConfigException($"cluster-node.roles = [{string.Join(", ", cluster.Roles)}] has no acquisition role: run Processing.Node or Gateway.Node for those roles");
        }

        requested = requested.WithSlabsForQueues(RemoteSinkCapacities(cluster));
        AcquisitionPipeline pipeline = PipelineFactory.Create(requested);
        PipelineSettings settings = pipeline.Settings;
        IReadOnlyList<StageBlueprint> stages;
        try
        {
            stages = ResolveStages(settings);
        }
        catch
        {
            pipeline.Source.Dispose();
            throw;
        }

        Config akka = ConfigurationFactory.ParseString(
                "akka.loglevel = INFO\nakka.stdout-loglevel = WARNING\nakka.log-dead-letters = off\n" +
                "akka.coordinated-shutdown.run-by-default = off\n")
            .WithFallback(ConfigurationFactory.ParseString(PolicyMailboxes.Hocon))
            .WithFallback(ConfigurationFactory.ParseString(SinkDispatchers.Hocon(PipelineSettings.Word(settings.WaitStrategy))));
        // Without cluster settings: one process, no remoting (nothing listens on a port but the web UI).
        ClusterSystem? clusterSystem = cluster.Enabled ? await ClusterSystem.StartAsync(cluster, akka, cancellationToken) : null;
        ActorSystem system = clusterSystem?.System ?? ActorSystem.Create(ClusterSystem.SystemName, akka);

        NodeHost? started = null;
        RunningRoles? running = null;
        try
        {
            running = await StartRolesAsync(roles, cluster, system, ct => started is null ? Task.FromException<Eeg.Shared.Status.PipelineStatus>(new InvalidOperationException("starting")) : started.StatusAsync(ct), cancellationToken);
            var sinks = new List<SinkRegistration>();
            AddRoleSinks(sinks, pipeline, recorder, running, stages, system, cluster);
            IActorRef acquisition = system.ActorOf(AcquisitionActor.Props(pipeline, sinks, settings.StatusInterval, statusOut), "acquisition");
            NodeAgent.Start(system, new NodeAgentOptions
            {
                Roles = cluster.Roles,
                Acquisition = acquisition,
                SinkParent = acquisition,
                Stages = cluster.Has(ClusterNodeSettings.Processing) ? stages.Select(s => s.Name).ToArray() : [],
            });
            var host = new NodeHost(system, pipeline, acquisition, settings) { Roles = running, Cluster = clusterSystem };
            if (recorder.Enabled && cluster.Has(ClusterNodeSettings.Processing))
            {
                host.Recorder = await acquisition.Ask<IActorRef>(new GetSinkActor("recorder"), TimeSpan.FromSeconds(10), cancellationToken);
                running.Gateway?.Recorder.Attach(host.Recorder);
            }
            started = host;
            return host;
        }
        catch
        {
            // A role that could not start (a port in use) stops what already runs, so the process exits.
            if (running?.Gateway is not null) await running.Gateway.StopAsync();
            await system.Terminate();
            if (clusterSystem is not null) await clusterSystem.DisposeAsync();
            pipeline.Source.Dispose();
            throw;
        }
    }

    /// <summary>A snapshot of every counter.</summary>
    public Task<Eeg.Shared.Status.PipelineStatus> StatusAsync(CancellationToken cancellationToken = default) =>
        Acquisition.Ask<Eeg.Shared.Status.PipelineStatus>(Eeg.Shared.Status.GetStatus.Instance, TimeSpan.FromSeconds(5), cancellationToken);

    /// <summary>The totals at the end of a run, in one line.</summary>
    public string FinalStatusLine()
    {
        var c = Pipeline.Counters;
        return $"totals: {c.Samples} samples in {Pipeline.UptimeSeconds:0.0} s, {c.Frames} frames, {c.Overruns} overruns, {c.CorruptSamples} corrupt, " +
               string.Join(", ", Eeg.Pipeline.Sinks.SinkRegistry.For(System).All.OrderBy(k => k.Name)
                   .Select(k => $"{k.Name}: {k.Delivered} delivered, {k.Dropped} dropped{(k.Failed ? " FAILED (" + k.FailureReason + ")" : "")}"));
    }

    /// <summary>Stops a recording cleanly (flushed, header current), then the pipeline, the gateway and the actor system.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Recorder is not null)
        {
            try
            {
                await Recorder.Ask<object>(StopRecording.Instance, TimeSpan.FromSeconds(10));
            }
            catch (Exception ex) when (ex is AskTimeoutException or TaskCanceledException)
            {
            }
        }
        if (Roles.Gateway is not null) await Roles.Gateway.StopAsync();
        try
        {
            await Acquisition.GracefulStop(TimeSpan.FromSeconds(10));
        }
        catch (TaskCanceledException)
        {
        }
        if (Cluster is not null) await Cluster.DisposeAsync();
        else await System.Terminate();
    }

    /// <summary>The cluster this node joined, or null when it runs every role in one process.</summary>
    public ClusterSystem? Cluster { get; private init; }
}
