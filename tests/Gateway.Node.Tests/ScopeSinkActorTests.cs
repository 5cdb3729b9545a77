using System.Net.WebSockets;
using Akka.Actor;
using Eeg.Gateway.Configuration;
using Eeg.Gateway.Streaming;
using Eeg.Pipeline.Configuration;
using Eeg.Pipeline.Sinks;
using Eeg.Pipeline.Slabs;
using Eeg.Shared.Frames;

namespace Eeg.Tests.Gateway.Node;

public class ScopeSinkActorTests : Akka.TestKit.Xunit2.TestKit
{
    [Fact]
    public void The_scope_sink_gives_every_slab_back_at_once_even_when_no_client_reads()
    {
        var settings = GatewaySettings.Default with { MaxMessageBytes = 4096, TooSlowAfter = TimeSpan.FromHours(1) };
        var hub = new ScopeHub(settings);
        // Two clients that never read: their queues (4 x 25 frames here) fill and drop, holding
        // gateway buffers only.
        var clients = Enumerable.Range(1, 2)
            .Select(i => new ScopeClient(i, WebSocket.CreateFromStream(new MemoryStream(), new WebSocketCreationOptions { IsServer = true }), "test", settings, hub))
            .ToArray();
        typeof(ScopeHub).GetField("_clients", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.SetValue(hub, clients);
        var counters = new SinkCounters("scope", SinkPolicy.DropOldest, 4);
        IActorRef sink = Sys.ActorOf(ScopeSinkActor.Props(counters, hub));
        var pool = new SlabPool(16, 32, 1);
        sink.Tell(new StreamDescription(StreamDescription.DefaultChannelNames(32), 4000, 1, 24, 4.5, "uV", "none", 0, "test"));

        long index = 0;
        for (int round = 0; round < 50; round++)
        {
            // The whole pool goes out, and all of it must come back although nothing was read.
            while (pool.TryRent(out Slab slab))
            {
                slab.FirstSampleIndex = index++;
                slab.SampleCount = 1;
                slab.DrdyTicks[0] = System.Diagnostics.Stopwatch.GetTimestamp();
                sink.Tell(slab);
            }
            AwaitCondition(() => pool.Available == pool.Capacity, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(2));
        }

        Assert.True(index >= 50, $"only {index} frames were sent");
        Assert.Equal(index, counters.Delivered);
        Assert.All(clients, c =>
        {
            ClientStatus s = c.Snapshot();
            Assert.Equal(index, s.FramesOffered);
            Assert.True(s.FramesDropped > 0);
            Assert.Equal(s.FramesOffered, s.FramesDropped + QueuedFrames(c));
        });
        Assert.Equal(32, hub.Stream!.ChannelCount);
    }

    private static long QueuedFrames(ScopeClient client)
    {
        var ring = (Array)typeof(ScopeClient).GetField("_ring", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(client)!;
        long frames = 0;
        foreach (object message in ring) frames += (int)message.GetType().GetProperty("Count")!.GetValue(message)!;
        return frames;
    }
}
