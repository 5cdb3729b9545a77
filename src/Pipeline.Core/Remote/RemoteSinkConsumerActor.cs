using System.Diagnostics;
using Akka.Actor;
using Akka.Event;
using Eeg.Pipeline.Sinks;
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
    private readonly IReadOnlyList<SinkCounters> _durableSinks;
    private readonly Func<StreamDescription, long>? _resumeAfter;
    // Delivered batches not yet confirmed (their last sample index is not durable in every durable
    // sink yet). Bounded by what the acquisition node keeps for this consumer (memory + spool).
    private readonly Queue<(long Sequence, long LastIndex)> _unconfirmed = new();
    private long _confirmed;          // last batch sequence confirmed to the producer
    private long _heldThrough = -1;   // sample index an earlier run of this node already holds (resume)
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
    /// <param name="durableSinks">Counters of the local sinks that write to disk: a batch is confirmed only once they hold it durably.</param>
    /// <param name="resumeAfter">Given the stream, the last sample index this node already holds from before a crash (-1: none); earlier frames are not delivered again.</param>
    public RemoteSinkConsumerActor(RemoteConsumerOptions options, IReadOnlyList<IActorRef> sinks, int sinkHeldSlabs, RemoteConsumerCounters counters, ActorPath? producerPath,
        IReadOnlyList<SinkCounters>? durableSinks = null, Func<StreamDescription, long>? resumeAfter = null)
    {
        _durableSinks = durableSinks ?? [];
        _resumeAfter = resumeAfter;
        _options = options;
        _sinks = sinks;
        _sinkHeldSlabs = sinkHeldSlabs;
        Counters = counters;
        _producerPath = producerPath;
    }

    public RemoteConsumerCounters Counters { get; }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(RemoteConsumerOptions options, IReadOnlyList<IActorRef> sinks, int sinkHeldSlabs, RemoteConsumerCounters counters, ActorPath? producerPath = null,
        IReadOnlyList<SinkCounters>? durableSinks = null, Func<StreamDescription, long>? resumeAfter = null) =>
        Akka.Actor.Props.Create(() => new RemoteSinkConsumerActor(options, sinks, sinkHeldSlabs, counters, producerPath, durableSinks, resumeAfter));

    protected override void PreStart()
    {
        // Also the pace of confirmations that wait for the disk (the recorder checkpoints every second).
        TimeSpan check = TimeSpan.FromMilliseconds(100);
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
                else if (Confirm()) GrantCredit();
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
            _confirmed = _delivered;
            _unconfirmed.Clear();
        }
        if (_description is null && _resumeAfter is not null)
        {
            // First contact of this node's run: what an earlier run of it already holds durably (a
            // recording cut by a crash) is not delivered again, so the files hold every index once.
            _heldThrough = _resumeAfter(started.Description);
            if (_heldThrough >= 0) _nextSampleIndex = _heldThrough + 1;
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
        ref readonly FrameRecord lastFrame = ref batch.Frames[batch.FrameCount - 1];
        _unconfirmed.Enqueue((batch.Sequence, lastFrame.FirstSampleIndex + lastFrame.SampleCount - 1));
        Confirm();
        Counters.CountBatch(batch.FrameCount);
        // Heard now, not when the batch arrived: a hand-over that waited on a full sink is not a silence.
        _lastHeardTicks = Stopwatch.GetTimestamp();
        GrantCredit(Sender);
    }

    /// <summary>Confirms every delivered batch whose samples the durable sinks hold; true when the confirmed sequence moved.</summary>
    private bool Confirm()
    {
        long durable = long.MaxValue;
        foreach (SinkCounters sink in _durableSinks) durable = Math.Min(durable, sink.DurableThrough);
        long before = _confirmed;
        while (_unconfirmed.Count > 0 && _unconfirmed.Peek().LastIndex <= durable)
        {
            _confirmed = _unconfirmed.Dequeue().Sequence;
        }
        return _confirmed != before;
    }

    /// <summary>
    /// Credit follows delivery (the window counts from the last batch handed to the local sinks), the
    /// acknowledgement follows durability: the producer keeps what is not confirmed.
    /// </summary>
    private void GrantCredit(IActorRef? to = null)
    {
        IActorRef? producer = _producer ?? to;
        producer?.Tell(new CreditGrant(_streamId, _confirmed, _delivered + _options.Window), Self);
    }

    private void Deliver(FrameBatch batch, int frame)
    {
        ref readonly FrameRecord record = ref batch.Frames[frame];
        // Samples an earlier run of this node already holds: left out (a frame across the line is cut).
        int skip = (int)Math.Clamp(_heldThrough + 1 - record.FirstSampleIndex, 0, record.SampleCount);
        if (skip == record.SampleCount)
        {
            Counters.CountDuplicate();
            return;
        }
        long firstIndex = record.FirstSampleIndex + skip;
        int samples = record.SampleCount - skip;
        long jump = _nextSampleIndex < 0 ? 0 : firstIndex - _nextSampleIndex;
        _nextSampleIndex = firstIndex + samples;
        if (!_pool!.TryRent(out Slab slab))
        {
            Counters.CountPoolDry();
            _pendingGap += record.SampleCount;
            return;
        }
        slab.FirstSampleIndex = firstIndex;
        slab.SampleCount = samples;
        slab.Flags = record.Flags;
        slab.GapSamples = record.GapSamples;
        slab.FirstSampleUnixNs = record.FirstSampleUnixNs;
        slab.LeadOffPositive = record.LeadOffPositive;
        slab.LeadOffNegative = record.LeadOffNegative;
        if (skip > 0)
        {
            // A gap announced by this frame lies before the part an earlier run already holds.
            slab.Flags &= ~FrameFlags.Gap;
            slab.GapSamples = 0;
        }
        long gap = Math.Max(jump, 0) + _pendingGap;
        _pendingGap = 0;
        if (gap > 0)
        {
            Counters.CountGap(gap);
            slab.Flags |= FrameFlags.Gap;
            slab.GapSamples = Math.Max(slab.GapSamples, gap);
        }
        int channels = batch.Channels;
        batch.MicrovoltsOf(frame)[(skip * channels)..].CopyTo(slab.Microvolts);
        batch.CountsOf(frame)[(skip * channels)..].CopyTo(slab.Counts);
        foreach (TriggerEvent trigger in batch.TriggersOf(frame))
        {
            if (trigger.SampleIndex >= firstIndex) slab.TryAddTrigger(trigger);
        }
        if (skip > 0) slab.FirstSampleUnixNs += (long)(skip * 1e9 / (_description?.SampleRate ?? 1));
        // DRDY times travel as the acquisition node's Stopwatch ticks: on one host (loopback lab,
        // tests) latency is then measured from the real DRDY; across hosts it is not comparable and
        // the sinks' latency figures must be read as such (docs/perf.md, "Across nodes").
        long first = record.FirstDrdyTicks, last = record.LastDrdyTicks;
        int n = record.SampleCount;
        for (int i = skip; i < n; i++) slab.DrdyTicks[i - skip] = n == 1 ? last : first + (last - first) * i / (n - 1);

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
