using Akka.Actor;
using Eeg.Pipeline.Configuration;
using Eeg.Pipeline.Mailboxes;
using Eeg.Pipeline.Remote;
using Eeg.Pipeline.Sinks;

namespace Eeg.Pipeline.Cluster;

/// <summary>A local sink a consumer node runs behind its policy mailbox, fed from a remote sink.</summary>
public sealed record LocalSink(SinkSettings Settings, Func<SinkCounters, Props> CreateProps, string? Dispatcher = null);

/// <summary>
/// The top actor of a consumer role (processing, gateway): creates the role's local sinks behind their
/// policy mailboxes, one consumer for the remote sink that feeds them, and the locator that points the
/// consumer at the acquisition node whenever it is up. Supervises the sinks like the acquisition
/// actor does (a sink that throws is restarted, its restarts counted).
/// </summary>
public sealed class ConsumerRoleActor : ReceiveActor
{
    private readonly string _remoteSink;
    private readonly bool _lossless;
    private readonly int _window;
    private readonly IReadOnlyList<LocalSink> _sinks;
    private readonly int _burstFrames;
    private readonly Func<Eeg.Shared.Frames.StreamDescription, long>? _resumeAfter;

    /// <param name="burstFrames">Frames of one batch: they reach the local sinks at once, not one per DRDY.</param>
    /// <param name="resumeAfter">For a lossless role: the last sample index an earlier run of this node holds (see RemoteSinkConsumerActor).</param>
    public ConsumerRoleActor(string remoteSink, bool lossless, int window, IReadOnlyList<LocalSink> sinks, int burstFrames, Func<Eeg.Shared.Frames.StreamDescription, long>? resumeAfter = null)
    {
        _resumeAfter = resumeAfter;
        _burstFrames = burstFrames;
        _remoteSink = remoteSink;
        _lossless = lossless;
        _window = window;
        _sinks = sinks;
        Receive<GetLocalSink>(m => Sender.Tell(Context.Child(m.Name)));
    }

    public static Props Props(string remoteSink, bool lossless, int window, IReadOnlyList<LocalSink> sinks, int burstFrames, Func<Eeg.Shared.Frames.StreamDescription, long>? resumeAfter = null) =>
        Akka.Actor.Props.Create(() => new ConsumerRoleActor(remoteSink, lossless, window, sinks, burstFrames, resumeAfter));

    /// <summary>Frames in one batch of the acquisition node's remote sinks.</summary>
    public static int BurstFrames(PipelineSettings pipeline, ClusterNodeSettings cluster) =>
        Math.Max(1, (int)Math.Ceiling(pipeline.SampleRate * cluster.BatchInterval.TotalSeconds / pipeline.FrameSamples));

    /// <summary>The consumer's counters, for status and tests.</summary>
    public static RemoteConsumerCounters CountersOf(ActorSystem system, string remoteSink) =>
        s_counters.GetOrAdd((system, remoteSink), key => new RemoteConsumerCounters(key.Item2));

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(ActorSystem, string), RemoteConsumerCounters> s_counters = new();

    protected override void PreStart()
    {
        SinkRegistry registry = SinkRegistry.For(Context.System);
        var actors = new List<IActorRef>();
        var durable = new List<SinkCounters>();
        int held = 0;
        foreach (LocalSink sink in _sinks)
        {
            // A batch's frames arrive together: a queue of the configured depth (the scope's 4) would
            // drop most of every batch. Depth + one batch keeps the policy for real lag only (seen on
            // the first lab run: the gateway's scope dropped 86% with depth 4 and 40-frame batches).
            SinkSettings settings = sink.Settings with { Capacity = Math.Min(1024, sink.Settings.Capacity + _burstFrames) };
            SinkCounters counters = registry.Register(settings);
            Props props = sink.CreateProps(counters).WithMailbox(PolicyMailboxes.IdFor(sink.Settings.Policy));
            if (sink.Dispatcher is not null) props = props.WithDispatcher(sink.Dispatcher);
            actors.Add(Context.ActorOf(props, sink.Settings.Name));
            // Lossless local sinks (the recorder) bound what is confirmed to the acquisition node.
            if (_lossless && settings.Policy == SinkPolicy.Lossless) durable.Add(counters);
            held += settings.Capacity + 1;
        }
        var options = new RemoteConsumerOptions { SinkName = _remoteSink, Lossless = _lossless, Window = _window };
        IActorRef consumer = Context.ActorOf(RemoteSinkConsumerActor.Props(options, actors, held, CountersOf(Context.System, _remoteSink), null, durable, _resumeAfter)
            // Its own thread: a hand-over to a full lossless sink waits, and waiting on a thread-pool
            // thread starved the very sink it waits for (first lab run: 4 s recorded in 14).
            .WithDispatcher(ClusterSystem.RemoteSinkDispatcher), "consumer-" + _remoteSink);
        Context.ActorOf(AcquisitionLocator.Props([(consumer, _remoteSink)]), "locator");
    }

    protected override SupervisorStrategy SupervisorStrategy() =>
        new SinkRestartStrategy();
}

/// <summary>Asks a role actor for one of its local sinks by name (answered with the IActorRef, or Nobody).</summary>
public sealed record GetLocalSink(string Name);
