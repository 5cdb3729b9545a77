using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Configuration;
using Eeg.Acquisition.Remote;
using Eeg.Pipeline.Configuration;
using Eeg.Pipeline.Mailboxes;
using Eeg.Pipeline.Remote;
using Eeg.Pipeline.Sinks;
using Eeg.Pipeline.Slabs;
using Eeg.Shared.Frames;

namespace Eeg.Tests.MultiNode.RemoteSinks;

/// <summary>
/// Two actor systems joined by Akka.Remote on 127.0.0.1 (random ports): an acquisition side with one
/// remote sink fed by the test, and a consumer side with a local recording sink behind a lossless
/// mailbox. The test feeds pattern frames and looks at what the local sink saw.
/// </summary>
internal sealed class TwoNodes : IAsyncDisposable
{
    public const int Channels = 4;
    public const int SampleRate = 4000;
    public const string SinkName = "remote-recorder";

    private readonly SlabPool _pool = new(512, Channels, 1);
    private long _next;

    public TwoNodes(RemoteSinkOptions producer, RemoteConsumerOptions consumer, int sinkCapacity = 16)
    {
        Acquisition = ActorSystem.Create("acq", SystemConfig());
        Processing = ActorSystem.Create("proc", SystemConfig());

        var producerSettings = new SinkSettings(SinkName, SinkPolicy.Lossless, 64, TimeSpan.FromSeconds(30), 4);
        SinkCounters producerCounters = SinkRegistry.For(Acquisition).Register(producerSettings);
        Producer = Acquisition.ActorOf(RemoteSinkActor.Props(producer, producerCounters).WithMailbox(PolicyMailboxes.IdFor(SinkPolicy.Lossless)), SinkName);
        Remote = RemoteSinkRegistry.For(Acquisition).Register(SinkName, producer.Lossless);
        Producer.Tell(new StreamDescription(StreamDescription.DefaultChannelNames(Channels), SampleRate, 1, 24, 4.5, "uV", "none", 0, "simulated"));

        var sinkSettings = new SinkSettings("recorder", SinkPolicy.Lossless, sinkCapacity, TimeSpan.FromSeconds(30), 4);
        SinkCounters sinkCounters = SinkRegistry.For(Processing).Register(sinkSettings);
        IActorRef sink = Processing.ActorOf(RecordingSink.Props(sinkCounters, Seen, Gate).WithMailbox(PolicyMailboxes.IdFor(SinkPolicy.Lossless)), "recorder");
        ActorPath producerPath = new RootActorPath(((ExtendedActorSystem)Acquisition).Provider.DefaultAddress) / "user" / SinkName;
        Consumer = Processing.ActorOf(RemoteSinkConsumerActor.Props(consumer, [sink], sinkCapacity + 1, ConsumerCounters, producerPath), "remote-consumer");
    }

    public ActorSystem Acquisition { get; }
    public ActorSystem Processing { get; }
    public IActorRef Producer { get; }
    public IActorRef Consumer { get; }
    public RemoteSinkCounters Remote { get; }
    public RemoteConsumerCounters ConsumerCounters { get; } = new(SinkName);
    public ConcurrentQueue<SeenFrame> Seen { get; } = new();

    /// <summary>Open: the consumer's local sink runs; closed: it stalls.</summary>
    public ManualResetEventSlim Gate { get; } = new(true);

    /// <summary>Index of the next frame <see cref="Feed"/> sends.</summary>
    public long NextIndex => _next;

    /// <summary>Sends one-sample pattern frames to the remote sink as the fan-out would.</summary>
    public void Feed(int frames)
    {
        for (int i = 0; i < frames; i++)
        {
            SpinWait spin = default;
            Slab slab;
            while (!_pool.TryRent(out slab)) spin.SpinOnce(); // the remote sink's mailbox holds them only briefly
            long index = _next++;
            slab.FirstSampleIndex = index;
            slab.SampleCount = 1;
            slab.FirstSampleUnixNs = index * 250_000;
            slab.DrdyTicks[0] = System.Diagnostics.Stopwatch.GetTimestamp();
            for (int c = 0; c < Channels; c++)
            {
                slab.Counts[c] = TestPattern.Count(index, c);
                slab.Microvolts[c] = TestPattern.Microvolts(index, c);
            }
            Producer.Tell(slab);
        }
    }

    /// <summary>Waits until the local sink has seen the frame with index <paramref name="index"/> (or times out).</summary>
    public async Task<bool> SeenThroughAsync(long index, TimeSpan timeout)
    {
        DateTime until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            if (Seen.Any(f => f.FirstSampleIndex + f.SampleCount - 1 >= index)) return true;
            await Task.Delay(20);
        }
        return false;
    }

    /// <summary>Both sides' counters, for failure messages.</summary>
    public string Describe()
    {
        RemoteSinkCounters r = Remote;
        RemoteConsumerCounters c = ConsumerCounters;
        SeenFrame last = Seen.LastOrDefault();
        return $"sender: sent {r.BatchesSent} batches/{r.FramesSent} frames, credit {r.Credit}, in flight {r.InFlight}, in memory {r.InMemory}, spooled {r.SpooledBatches}, dropped {r.DroppedFrames}, subscriptions {r.Subscriptions}; " +
               $"consumer: {c.Batches} batches/{c.Frames} frames, duplicates {c.Duplicates}, out of order {c.OutOfOrder}, gaps {c.GapSamples}, subscriptions {c.Subscriptions}; " +
               $"sink saw {Seen.Count} frames, last {last.FirstSampleIndex}";
    }

    public static async Task<bool> EventuallyAsync(Func<bool> condition, TimeSpan timeout)
    {
        DateTime until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            if (condition()) return true;
            await Task.Delay(20);
        }
        return condition();
    }

    public async ValueTask DisposeAsync()
    {
        Gate.Set();
        await Task.WhenAll(Processing.Terminate(), Acquisition.Terminate());
    }

    private static Config SystemConfig() =>
        ConfigurationFactory.ParseString("""
            akka.loglevel = WARNING
            akka.actor.provider = remote
            akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0 }
            """)
            .WithFallback(ConfigurationFactory.ParseString(PolicyMailboxes.Hocon))
            .WithFallback(ConfigLoader.Reference);
}
