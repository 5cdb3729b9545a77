using Akka.Actor;
using Akka.Configuration;
using Eeg.Gateway.Configuration;
using Eeg.Pipeline.Cluster;
using Eeg.Pipeline.Configuration;
using Eeg.Pipeline.Control;
using Eeg.Pipeline.Dispatch;
using Eeg.Pipeline.Metrics;
using Eeg.Pipeline.Sinks;
using Eeg.Shared.Status;

namespace Eeg.Gateway.Hosting;

/// <summary>
/// The gateway role on its own node: the web UI, WebSocket stream, /status and /metrics, with the
/// scope sink fed by the acquisition node's drop-oldest remote-scope sink. /status is the
/// acquisition node's (asked over the cluster), with this node's own sinks and the cluster's members.
/// </summary>
public sealed class GatewayNode : IAsyncDisposable
{
    private GatewayNode(ClusterSystem cluster, GatewayServer server)
    {
        Cluster = cluster;
        Server = server;
    }

    public ClusterSystem Cluster { get; }
    public ActorSystem System => Cluster.System;
    public GatewayServer Server { get; }

    public static async Task<GatewayNode> StartAsync(Config config, CancellationToken cancellationToken = default)
    {
        PipelineSettings pipeline = PipelineSettings.FromConfig(config);
        GatewaySettings gateway = GatewaySettings.FromConfig(config.WithFallback(ConfigLoader.Reference));
        ClusterNodeSettings cluster = ClusterNodeSettings.FromConfig(config);
        if (!cluster.Enabled || !cluster.Roles.Contains(ClusterNodeSettings.Gateway))
        {
            throw new ConfigException("the gateway node needs cluster-node.enabled = on and gateway in cluster-node.roles (see hocon/lab-3-nodes/gateway.conf)");
        }
        SinkSettings scope = pipeline.Sinks.FirstOrDefault(s => s.Name == "scope")
            ?? new SinkSettings("scope", SinkPolicy.DropOldest, 4, TimeSpan.FromSeconds(5), 4);

        ClusterSystem system = await ClusterSystem.StartAsync(cluster, RoleNodeConfig.Akka(pipeline), cancellationToken);
        GatewayServer server;
        try
        {
            server = await GatewayServer.StartAsync(gateway, system.System, ct => StatusAsync(system.System, ct), cancellationToken);
        }
        catch
        {
            await system.DisposeAsync();
            throw;
        }
        // The scope actor on the low-latency dispatcher, as in the all-in-one node.
        var sinks = new[] { new LocalSink(scope, server.ScopeSinkProps, SinkDispatchers.LowLatency) };
        IActorRef role = system.System.ActorOf(ConsumerRoleActor.Props(ClusterNodeSettings.ScopeSink, lossless: false, cluster.Window, sinks, ConsumerRoleActor.BurstFrames(pipeline, cluster)), "gateway");
        NodeAgent.Start(system.System, new NodeAgentOptions
        {
            Roles = cluster.Roles,
            SinkParent = role,
            RemoteConsumers = [ClusterNodeSettings.ScopeSink],
        });
        return new GatewayNode(system, server);
    }

    /// <summary>The acquisition node's status, with this node's sinks and view of the cluster added.</summary>
    private static async Task<PipelineStatus> StatusAsync(ActorSystem system, CancellationToken cancellationToken)
    {
        IReadOnlyList<ClusterMemberStatus> members = ClusterStatus.Members(system);
        var local = SinkRegistry.For(system).All.Select(s => s.Snapshot()).ToDictionary(s => s.Name, StringComparer.Ordinal);
        var acquisition = Akka.Cluster.Cluster.Get(system).State.Members
            .FirstOrDefault(m => m.HasRole(ClusterNodeSettings.Acquisition) && m.Status == Akka.Cluster.MemberStatus.Up);
        PipelineStatus status;
        if (acquisition is null)
        {
            status = new PipelineStatus("(acquisition node not up)", 0, 0, 0, 0, 0, 0, 0, new LatencySnapshot(0, 0, 0, 0, 0), local);
        }
        else
        {
            ActorSelection actor = system.ActorSelection(new RootActorPath(acquisition.Address) / "user" / "acquisition");
            status = await actor.Ask<PipelineStatus>(GetStatus.Instance, TimeSpan.FromSeconds(3), cancellationToken);
            status = status with { Sinks = status.Sinks.Concat(local).GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal) };
        }
        // This node's view of the members, with the clock offsets the acquisition node collected.
        var offsets = status.ClusterMembers.ToDictionary(m => m.Address, m => m.ClockOffsetMicros, StringComparer.Ordinal);
        members = members.Select(m => m with { ClockOffsetMicros = offsets.GetValueOrDefault(m.Address) ?? m.ClockOffsetMicros }).ToArray();
        return status with { ClusterMembers = members };
    }

    public async ValueTask DisposeAsync()
    {
        await Server.StopAsync();
        await Cluster.DisposeAsync();
    }
}
