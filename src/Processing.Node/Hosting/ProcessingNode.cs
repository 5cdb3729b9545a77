using Akka.Actor;
using Akka.Configuration;
using Eeg.Pipeline.Cluster;
using Eeg.Pipeline.Configuration;
using Eeg.Pipeline.Control;
using Eeg.Processing.Recording;
using Eeg.Processing.Stages;
using Eeg.Shared.Frames;

namespace Eeg.Processing.Hosting;

/// <summary>
/// The processing role on its own node: the recorder and the research stages, fed by the acquisition
/// node's lossless remote-recorder sink through one consumer. The sinks are the same actors the
/// all-in-one node runs; they cannot tell their frames crossed a network.
/// </summary>
public sealed class ProcessingNode : IAsyncDisposable
{
    private ProcessingNode(ClusterSystem cluster, IActorRef role)
    {
        Cluster = cluster;
        Role = role;
    }

    public ClusterSystem Cluster { get; }
    public ActorSystem System => Cluster.System;
    public IActorRef Role { get; }

    public static async Task<ProcessingNode> StartAsync(Config config, CancellationToken cancellationToken = default)
    {
        PipelineSettings pipeline = PipelineSettings.FromConfig(config);
        RecorderSettings recorder = RecorderSettings.FromConfig(config);
        ClusterNodeSettings cluster = ClusterNodeSettings.FromConfig(config);
        if (!cluster.Enabled || !cluster.Roles.Contains(ClusterNodeSettings.Processing))
        {
            throw new ConfigException("the processing node needs cluster-node.enabled = on and processing in cluster-node.roles (see hocon/lab-3-nodes/processing.conf)");
        }
        IReadOnlyList<StageBlueprint> stages = new StageFactory(pipeline.StageDirectory).ResolveAll(pipeline.Stages);
        StreamDescription provisional = RoleNodeConfig.ProvisionalStream(pipeline);

        var sinks = new List<LocalSink>();
        if (recorder.Enabled && pipeline.Sinks.FirstOrDefault(s => s.Name == "recorder") is { } recorderSink)
        {
            sinks.Add(new LocalSink(recorderSink, counters => RecorderActor.Props(recorder, counters)));
        }
        foreach (StageBlueprint stage in stages)
        {
            sinks.Add(new LocalSink(stage.Entry.ToSinkSettings(), counters => StageHostActor.Props(stage, counters, provisional)));
        }

        ClusterSystem system = await ClusterSystem.StartAsync(cluster, RoleNodeConfig.Akka(pipeline), cancellationToken);
        IActorRef role = system.System.ActorOf(ConsumerRoleActor.Props(ClusterNodeSettings.RecorderSink, lossless: true, cluster.Window, sinks, ConsumerRoleActor.BurstFrames(pipeline, cluster),
            stream => RecordingResume.LastHeldIndex(recorder.Directory, stream, Console.Out)), "processing");
        NodeAgent.Start(system.System, new NodeAgentOptions
        {
            Roles = cluster.Roles,
            SinkParent = role,
            Stages = stages.Select(s => s.Name).ToArray(),
            RemoteConsumers = [ClusterNodeSettings.RecorderSink],
        });
        return new ProcessingNode(system, role);
    }

    /// <summary>The recorder actor (for tests and the control path).</summary>
    public Task<IActorRef> RecorderAsync() => Role.Ask<IActorRef>(new GetLocalSink("recorder"), TimeSpan.FromSeconds(10));

    public async ValueTask DisposeAsync()
    {
        try
        {
            IActorRef recorder = await RecorderAsync();
            if (!recorder.IsNobody()) await recorder.Ask<object>(Eeg.Shared.Recording.StopRecording.Instance, TimeSpan.FromSeconds(10));
        }
        catch (Exception ex) when (ex is AskTimeoutException or TaskCanceledException)
        {
        }
        await Cluster.DisposeAsync();
    }
}
