using System.Diagnostics;
using Akka.Actor;
using Akka.Event;
using Eeg.Pipeline.Slabs;
using Eeg.Shared.Frames;
using Eeg.Shared.Remote;

namespace Eeg.Pipeline.Remote;

/// <summary>
/// The consumer node's end of a remote sink: subscribes to it, unpacks each batch into slabs of its
/// own pool and hands them to its local sink actors (recorder, stages, scope) exactly as the
/// acquisition node's fan-out does, so those sinks run unchanged; then acknowledges the batch and
/// grants credit for the next ones.
/// </summary>
/// <remarks>
/// The acknowledgement goes out only after every frame of the batch was handed over. A lossless
/// local sink's mailbox makes that hand-over wait while the sink is full: this actor then stops
/// granting credit, and the back-pressure reaches the acquisition node, which keeps (lossless) or
/// drops (lossy) on its side; nothing queues here without bound.
/// A frame whose first sample does not follow the previous frame gets the Gap flag and the missing
/// samples, whatever lost them (the acquisition node, the sending side, a restart), so every local
/// sink sees and a recorder annotates every gap.
/// </remarks>
public sealed class RemoteSinkConsumerActor : UntypedActor, IWithTimers
{
    private readonly RemoteConsumerOptions _options;
    private readonly IReadOnlyList<IActorRef> _sinks;
    private readonly int _sinkHeldSlabs;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private ActorPath? _producerPath;
    private IActorRef? _producer;
    private StreamDescription? _description;
    private SlabPool? _pool;
    private long _streamId;
    private long _delivered;          // last batch sequence handed to the local sinks
    private long _nextSampleIndex = -1;
    private long _pendingGap;         // samples lost here (pool dry), announced on the next frame
    private long _lastHeardTicks;
    private long _lastSubscribeTicks;

    /// <param name="options">Which sink, window, resubscription.</param>
    /// <param name="sinks">The local sink actors (behind their policy mailboxes).</param>
    /// <param name="sinkHeldSlabs">Slabs the local sinks can hold at once: the sum of (queue capacity + 1).</param>
    /// <param name="counters">Where this consumer counts.</param>
    /// <param name="producerPath">The remote sink's actor path, when already known.</param>
    public RemoteSinkConsumerActor(RemoteConsumerOptions options, IReadOnlyList<IActorRef> sinks, int sinkHeldSlabs, RemoteConsumerCounters counters, ActorPath? producerPath)
    {
        _options = options;
        _sinks = sinks;
        _sinkHeldSlabs = sinkHeldSlabs;
        Counters = counters;
        _producerPath = producerPath;
    }

    public RemoteConsumerCounters Counters { get; }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(RemoteConsumerOptions options, IReadOnlyList<IActorRef> sinks, int sinkHeldSlabs, RemoteConsumerCounters counters, ActorPath? producerPath = null) =>
        Akka.Actor.Props.Create(() => new RemoteSinkConsumerActor(options, sinks, sinkHeldSlabs, counters, producerPath));

    protected override void PreStart()
    {
        TimeSpan check = TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(50).Ticks, _options.ResubscribeAfter.Ticks / 4));
        Timers.StartPeriodicTimer("watch", WatchTick.Instance, check);
        Subscribe();
    }

    protected override void PostStop()
    {
        Counters.Producer = null;
    }

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case FrameBatch batch:
                OnBatch(batch);
                break;
            case RemoteStreamStarted started:
                OnStarted(started);
                break;
            case RemoteSinkRefused refused:
                _log.Error("Remote sink {0} refused this consumer: {1}", refused.SinkName, refused.Reason);
                break;
            case RemoteProducerAt at:
                _producerPath = at.SinkPath;
                _producer = null;
                _streamId = 0;
                Counters.Producer = null;
                Subscribe();
                break;
            case WatchTick:
                long silence = Stopwatch.GetTimestamp() - Math.Max(_lastHeardTicks, _lastSubscribeTicks);
                if (silence > _options.ResubscribeAfter.TotalSeconds * Stopwatch.Frequency) Subscribe();
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void Subscribe()
    {
        _lastSubscribeTicks = Stopwatch.GetTimestamp();
        if (_producerPath is null) return;
        Counters.CountSubscription();
        Context.ActorSelection(_producerPath).Tell(new RemoteSinkSubscribe(_options.SinkName, Self, _options.Window), Self);
    }

    private void OnStarted(RemoteStreamStarted started)
    {
        _lastHeardTicks = Stopwatch.GetTimestamp();
        _producer = Sender;
        Counters.Producer = Sender.Path.Address.ToString();
        bool newRun = started.StreamId != _streamId;
        if (newRun)
        {
            // A new run of the producer (first contact or its actor restarted): what it numbers now
            // starts at NextSequence. Sample indexes go on being checked for gaps across runs.
            _streamId = started.StreamId;
            _delivered = started.NextSequence - 1;
        }
        if (_description != started.Description)
        {
            bool resize = _description is null || _description.ChannelCount != started.Description.ChannelCount || _description.FrameSamples != started.Description.FrameSamples;
            _description = started.Description;
            if (resize) _pool = CreatePool(started.Description);
            foreach (IActorRef sink in _sinks) sink.Tell(started.Description, Self);
        }
    }

    private SlabPool CreatePool(StreamDescription description)
    {
        // A frame of one batch is in this actor's hands while the local sinks hold theirs; sized so,
        // the pool cannot run dry however the sinks lag (their queues are bounded).
        int batchFrames = Math.Max(1, (int)Math.Ceiling(description.SampleRate * 0.05 / description.FrameSamples)) + 64;
        int slabs = _options.PoolSlabs > 0 ? _options.PoolSlabs : _sinkHeldSlabs + batchFrames;
        return new SlabPool(slabs, description.ChannelCount, description.FrameSamples);
    }

    private void OnBatch(FrameBatch batch)
    {
        _lastHeardTicks = Stopwatch.GetTimestamp();
        if (batch.StreamId != _streamId || _pool is null) return; // stale run, or before its description
        if (batch.Sequence <= _delivered)
        {
            Counters.CountDuplicate();
            return;
        }
        if (_options.Lossless && batch.Sequence != _delivered + 1)
        {
            // A batch went missing on the way: ask for everything from the first one not delivered.
            Counters.CountOutOfOrder();
            if (Stopwatch.GetTimestamp() - _lastSubscribeTicks > Stopwatch.Frequency / 10) Subscribe();
            return;
        }
        for (int f = 0; f < batch.FrameCount; f++) Deliver(batch, f);
        _delivered = batch.Sequence;
        Counters.CountBatch(batch.FrameCount);
        // Heard now, not when the batch arrived: a hand-over that waited on a full sink is not a silence.
        _lastHeardTicks = Stopwatch.GetTimestamp();
        (_producer ?? Sender).Tell(new CreditGrant(_streamId, _delivered, _delivered + _options.Window), Self);
    }

    private void Deliver(FrameBatch batch, int frame)
    {
        ref readonly FrameRecord record = ref batch.Frames[frame];
        long jump = _nextSampleIndex < 0 ? 0 : record.FirstSampleIndex - _nextSampleIndex;
        _nextSampleIndex = record.FirstSampleIndex + record.SampleCount;
        if (!_pool!.TryRent(out Slab slab))
        {
            Counters.CountPoolDry();
            _pendingGap += record.SampleCount;
            return;
        }
        slab.FirstSampleIndex = record.FirstSampleIndex;
        slab.SampleCount = record.SampleCount;
        slab.Flags = record.Flags;
        slab.GapSamples = record.GapSamples;
        slab.FirstSampleUnixNs = record.FirstSampleUnixNs;
        slab.LeadOffPositive = record.LeadOffPositive;
        slab.LeadOffNegative = record.LeadOffNegative;
        long gap = Math.Max(jump, 0) + _pendingGap;
        _pendingGap = 0;
        if (gap > 0)
        {
            Counters.CountGap(gap);
            slab.Flags |= FrameFlags.Gap;
            slab.GapSamples = Math.Max(slab.GapSamples, gap);
        }
        batch.MicrovoltsOf(frame).CopyTo(slab.Microvolts);
        batch.CountsOf(frame).CopyTo(slab.Counts);
        foreach (TriggerEvent trigger in batch.TriggersOf(frame)) slab.TryAddTrigger(trigger);
        // DRDY times travel as the acquisition node's Stopwatch ticks: on one host (loopback lab,
        // tests) latency is then measured from the real DRDY; across hosts it is not comparable and
        // the sinks' latency figures must be read as such (docs/perf-cluster.md).
        long first = record.FirstDrdyTicks, last = record.LastDrdyTicks;
        int n = record.SampleCount;
        for (int i = 0; i < n; i++) slab.DrdyTicks[i] = n == 1 ? last : first + (last - first) * i / (n - 1);

        if (_sinks.Count == 0)
        {
            slab.Release();
            return;
        }
        slab.SetReferences(_sinks.Count);
        for (int i = 0; i < _sinks.Count; i++) _sinks[i].Tell(slab, ActorRefs.NoSender);
    }

    private sealed class WatchTick
    {
        public static readonly WatchTick Instance = new();
    }
}
