using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Configuration;
using Eeg.Gateway.Control;
using Eeg.Pipeline.Cluster;
using Eeg.Pipeline.Control;
using Eeg.Shared.Control;
using Eeg.Shared.Recording;

namespace Eeg.Tests.MultiNode.Agent;

/// <summary>
/// Two cluster nodes in this process on loopback, each with its node agent: an "acquisition" node and
/// a "processing" node whose clock runs 5 ms ahead (injected). Reports and control messages cross the
/// wire with Akka's default serializer, and the processing node measures its offset.
/// </summary>
[Collection("lab")]
public sealed class NodeAgentAcrossNodesTests : IAsyncLifetime
{
    private const double SkewMicros = 5000;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private ClusterSystem _acquisition = null!;
    private ClusterSystem _processing = null!;

    public async Task InitializeAsync()
    {
        int seedPort = FreePort();
        string seed = $"akka.tcp://eeg@127.0.0.1:{seedPort}";
        Config akka = ConfigurationFactory.ParseString("akka.loglevel = WARNING\nakka.log-dead-letters = off");
        _acquisition = await ClusterSystem.StartAsync(Node(ClusterNodeSettings.Acquisition, seedPort, seed), akka);
        _processing = await ClusterSystem.StartAsync(Node(ClusterNodeSettings.Processing, 0, seed), akka);
        NodeAgent.Start(_acquisition.System, new NodeAgentOptions { Roles = [ClusterNodeSettings.Acquisition] });
        NodeAgent.Start(_processing.System, new NodeAgentOptions
        {
            Roles = [ClusterNodeSettings.Processing],
            Stages = ["alpha"],
            Clock = () => DateTime.UtcNow.Ticks + (long)(SkewMicros * 10),
            ProbeInterval = TimeSpan.FromMilliseconds(500),
        });
    }

    public async Task DisposeAsync()
    {
        await _processing.DisposeAsync();
        await _acquisition.DisposeAsync();
    }

    private static ClusterNodeSettings Node(string role, int port, string seed) => new()
    {
        Enabled = true,
        Roles = [role],
        Hostname = "127.0.0.1",
        Port = port,
        SeedNodes = [seed],
    };

    [Fact]
    public async Task The_gateways_view_lists_both_nodes_and_the_processing_node_reports_its_clock_offset_within_half_its_round_trip()
    {
        var view = new ClusterView(_processing.System);
        IReadOnlyList<ClusterNode> nodes = [];
        DateTime until = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < until)
        {
            nodes = await view.SnapshotAsync(CancellationToken.None);
            if (nodes.Count == 2 && nodes.All(n => n.Answered && n.State == "Up") && nodes.Any(n => n.ClockOffsetMicros is not null && n.Roles.Contains(ClusterNodeSettings.Processing))) break;
            await Task.Delay(200);
        }
        string seen = string.Join("; ", nodes.Select(n => $"{n.Address} [{string.Join(",", n.Roles)}] {n.State} answered={n.Answered} offset={n.ClockOffsetMicros} rtt={n.ClockRoundTripMicros} {n.Error}"));

        Assert.True(nodes.Count == 2, seen);
        ClusterNode acquisition = Assert.Single(nodes, n => n.Roles.SequenceEqual([ClusterNodeSettings.Acquisition]));
        ClusterNode processing = Assert.Single(nodes, n => n.Roles.SequenceEqual([ClusterNodeSettings.Processing]));
        Assert.Equal(0, acquisition.ClockOffsetMicros);
        Assert.True(processing.ClockOffsetMicros is { } offset && processing.ClockRoundTripMicros is { } roundTrip
            && Math.Abs(offset - SkewMicros) <= roundTrip / 2 + 1, seen);
        Assert.Equal(Akka.Cluster.Cluster.Get(_acquisition.System).SelfAddress.ToString(), acquisition.Address);
        Assert.Equal(acquisition.Address, acquisition.Report!.Address);

        // The processing node reports its offset with its next probes: the acquisition node's /status members show it.
        Eeg.Shared.Status.ClusterMemberStatus? member = null;
        until = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < until)
        {
            member = ClusterStatus.Members(_acquisition.System).Single(m => m.Roles.Contains(ClusterNodeSettings.Processing));
            if (member.ClockOffsetMicros is not null) break;
            await Task.Delay(200);
        }
        Assert.True(member?.ClockOffsetMicros is { } reported && Math.Abs(reported - SkewMicros) < 1000, $"reported {member?.ClockOffsetMicros}");
        Assert.Equal(0, ClusterStatus.Members(_acquisition.System).Single(m => m.Roles.Contains(ClusterNodeSettings.Acquisition)).ClockOffsetMicros);
    }

    [Fact]
    public async Task Control_messages_and_their_refusals_cross_the_wire_with_the_default_serializer()
    {
        Address acquisitionAddress = Akka.Cluster.Cluster.Get(_acquisition.System).SelfAddress;
        Address processingAddress = Akka.Cluster.Cluster.Get(_processing.System).SelfAddress;

        // From the acquisition node's system to the processing node's agent, and back.
        ActorSelection processing = NodeAgent.At(_acquisition.System, processingAddress);
        var report = await processing.Ask<NodeReport>(GetNodeReport.Instance, Patience);
        Assert.Equal(processingAddress.ToString(), report.Address);
        Assert.Equal([ClusterNodeSettings.Processing], report.Roles);
        Assert.True(report.MemoryBytes > 0 && report.UptimeSeconds > 0, $"memory {report.MemoryBytes}, uptime {report.UptimeSeconds}");

        var unknownStage = await processing.Ask<ControlRefused>(new StageCommand("nope", StageAction.Restart), Patience);
        Assert.Equal(RefusalKind.NotFound, unknownStage.Kind);
        Assert.Contains("no stage 'nope'", unknownStage.Reason);

        var noRecorder = await processing.Ask<ControlRefused>(new StartRecording("s01", "1"), Patience);
        Assert.Equal(RefusalKind.Unavailable, noRecorder.Kind);

        var noPipeline = await processing.Ask<ControlRefused>(new ChangeFilters(1.0, null, null), Patience);
        Assert.Equal(RefusalKind.NotFound, noPipeline.Kind);

        var probe = await NodeAgent.At(_processing.System, acquisitionAddress).Ask<ClockProbeReply>(new ClockProbe(123), Patience);
        Assert.Equal(123, probe.T0);
        Assert.True(probe.T2 >= probe.T1 && probe.T1 > 123);
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
