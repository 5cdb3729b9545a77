using System.Diagnostics;
using Akka.Actor;
using Akka.Event;
using Eeg.Pipeline.Configuration;
using Eeg.Pipeline.Remote;
using Eeg.Pipeline.Sinks;
using Eeg.Pipeline.Slabs;
using Eeg.Shared.Frames;
using Eeg.Shared.Remote;

namespace Eeg.Acquisition.Remote;

/// <summary>
/// A sink of the acquisition node's fan-out whose consumer runs on another node. Each frame is
/// copied once into the batch being built (the base class releases the slab right after), and a
/// batch leaves every <see cref="RemoteSinkOptions.BatchInterval"/> or when full, but only while the
/// consumer has granted credit: Akka.Remote's own outbound queue, unbounded, never holds more than
/// the consumer's window.
/// </summary>
/// <remarks>
/// Out of credit, a lossy sink keeps <see cref="RemoteSinkOptions.PendingBatches"/> batches and
/// drops per its policy past that; a lossless sink keeps every unacknowledged batch (memory, then
/// the spool file) and resends from the first unacknowledged one when its consumer subscribes again.
/// Whatever is dropped here is counted, and the first frame after the drop carries the Gap flag and
/// the lost samples, so the consumer's recorder annotates it: a loss is never silent.
/// Recovery is driven by the consumer (it resubscribes after a restart, a gap in the sequence or a
/// silence): a timer here would resend into a consumer that is merely slow and fill its mailbox.
/// </remarks>
public sealed class RemoteSinkActor : FrameSinkActor, IWithTimers
{
    private readonly RemoteSinkOptions _options;
    private readonly RemoteSinkCounters _remote;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly long _streamId = Random.Shared.NextInt64(1, long.MaxValue);
    private readonly Queue<FrameBatch> _pending = new();
    private RetainedBatches? _retained;
    private FrameBatch? _building;
    private int _batchSamples, _batchFrames;
    private IActorRef? _consumer;
    private int _window;
    private long _acked;        // every batch up to here acknowledged
    private long _sendUpTo;     // credit: batches up to here may be sent
    private long _nextToSend = 1;
    private long _lastSent;     // lossy: sequence of the last batch sent
    private long _gapSamples;   // lost here, to be announced on the next frame that is kept

    public RemoteSinkActor(RemoteSinkOptions options, SinkCounters counters) : base(counters)
    {
        _options = options;
        _remote = RemoteSinkRegistry.For(Context.System).Register(options.Name, options.Lossless);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(RemoteSinkOptions options, SinkCounters counters) =>
        Akka.Actor.Props.Create(() => new RemoteSinkActor(options, counters));

    protected override void PreStart() =>
        Timers.StartPeriodicTimer("batch", SealTick.Instance, _options.BatchInterval);

    protected override void PostStop()
    {
        _retained?.Dispose();
        base.PostStop();
    }

    protected override void OnStreamStarted(StreamDescription description)
    {
        int perInterval = (int)Math.Ceiling(description.SampleRate * _options.BatchInterval.TotalSeconds);
        _batchSamples = Math.Max(description.FrameSamples, _options.MaxBatchSamples > 0 ? _options.MaxBatchSamples : perInterval);
        _batchFrames = Math.Max(1, _batchSamples / Math.Max(1, description.FrameSamples) + 1);
        if (_options.Lossless && _retained is null)
        {
            // Sized from the stream: samples and frame records of SpoolDuration, plus batch headers.
            double seconds = _options.SpoolDuration.TotalSeconds;
            double framesPerSecond = (double)description.SampleRate / description.FrameSamples;
            long bytes = (long)(seconds * (description.SampleRate * description.ChannelCount * 8.0
                + framesPerSecond * RemoteSinkSerializer.FrameRecordLengthV1
                + 1.0 / _options.BatchInterval.TotalSeconds * (RemoteSinkSerializer.HeaderLengthV1 + 4)));
            string path = Path.Combine(_options.SpoolDirectory, $"{_options.Name}-{Environment.ProcessId}-{_streamId:x}.spool");
            _retained = new RetainedBatches(_options.MemoryBatches, new SpoolFile(path, Math.Max(bytes, 1 << 20)));
            _nextToSend = _retained.NextSequence;
        }
        _consumer?.Tell(new RemoteStreamStarted(_streamId, description, _options.Lossless ? _acked + 1 : _lastSent + 1), Self);
    }

    protected override void OnFrame(Slab slab)
    {
        if (Stream is null) return; // no stream description yet: nothing a consumer could read
        var record = new FrameRecord
        {
            FirstSampleIndex = slab.FirstSampleIndex,
            SampleCount = slab.SampleCount,
            Flags = slab.Flags,
            GapSamples = slab.GapSamples,
            FirstSampleUnixNs = slab.FirstSampleUnixNs,
            FirstDrdyTicks = slab.DrdyTicks[0],
            LastDrdyTicks = slab.LastDrdyTicks,
            LeadOffPositive = slab.LeadOffPositive,
            LeadOffNegative = slab.LeadOffNegative,
        };
        if (_gapSamples > 0)
        {
            record.Flags |= FrameFlags.Gap;
            record.GapSamples += _gapSamples;
            _gapSamples = 0;
        }
        ReadOnlySpan<TriggerEvent> triggers = slab.Triggers.AsSpan(0, slab.TriggerCount);
        _building ??= NewBatch();
        if (!_building.TryAppend(record, slab.MicrovoltSpan, slab.CountSpan, triggers))
        {
            Seal();
            _building = NewBatch();
            _building.TryAppend(record, slab.MicrovoltSpan, slab.CountSpan, triggers);
        }
        if (_building.IsFull) Seal();
    }

    protected override void OnControl(object message)
    {
        switch (message)
        {
            case SealTick:
                if (_building is { FrameCount: > 0 }) Seal();
                break;
            case RemoteSinkSubscribe subscribe:
                Subscribe(subscribe);
                break;
            case CreditGrant grant when grant.StreamId == _streamId && Sender.Equals(_consumer):
                Grant(grant);
                break;
            case CreditGrant:
                break; // from an earlier run or an earlier consumer
            case Terminated terminated when terminated.ActorRef.Equals(_consumer):
                _log.Warning("Remote sink {0}: consumer {1} is gone; {2}", _options.Name, _consumer.Path,
                    _options.Lossless ? "keeping its unacknowledged frames" : "dropping frames until it returns");
                _consumer = null;
                _remote.Consumer = null;
                UpdateCounters();
                break;
            default:
                base.OnControl(message);
                break;
        }
    }

    private FrameBatch NewBatch() =>
        new(Stream!.ChannelCount, _batchFrames, _batchSamples, Math.Max(Slab.MaxTriggers, _batchFrames));

    private void Subscribe(RemoteSinkSubscribe subscribe)
    {
        if (subscribe.SinkName != _options.Name)
        {
            subscribe.Consumer.Tell(new RemoteSinkRefused(subscribe.SinkName, $"this remote sink is {_options.Name}"), Self);
            return;
        }
        if (!subscribe.Consumer.Equals(_consumer))
        {
            if (_consumer is not null) Context.Unwatch(_consumer);
            _consumer = subscribe.Consumer;
            Context.Watch(_consumer);
            _log.Info("Remote sink {0}: consumer {1} subscribed", _options.Name, _consumer.Path);
        }
        _remote.Consumer = _consumer.Path.ToString();
        _remote.CountSubscription();
        _window = Math.Clamp(subscribe.Window, 1, _options.MaxWindow);
        if (_options.Lossless)
        {
            // Go back to the first batch this sink has not had acknowledged: the consumer drops
            // what it already delivered (by sequence), so a resend is never a duplicate downstream.
            _nextToSend = _acked + 1;
            _sendUpTo = _acked + _window;
        }
        else
        {
            // Whatever was in flight to a consumer that resubscribes is lost or stale: start afresh.
            _acked = _lastSent;
            _sendUpTo = _lastSent + _window;
        }
        if (Stream is not null)
        {
            _consumer.Tell(new RemoteStreamStarted(_streamId, Stream, _options.Lossless ? _nextToSend : _lastSent + 1), Self);
        }
        Pump();
    }

    private void Grant(CreditGrant grant)
    {
        if (grant.Acknowledged > _acked)
        {
            _acked = grant.Acknowledged;
            _retained?.AcknowledgeThrough(_acked);
        }
        _sendUpTo = Math.Max(_sendUpTo, grant.SendUpTo);
        if (_options.Lossless) _nextToSend = Math.Max(_nextToSend, _acked + 1);
        Pump();
    }

    private void Seal()
    {
        FrameBatch batch = _building!;
        _building = null;
        if (batch.FrameCount == 0) return;
        batch.StreamId = _streamId;
        if (_options.Lossless)
        {
            if (!_retained!.TryAdd(batch)) Drop(batch, "spool full");
        }
        else
        {
            if (_pending.Count == Math.Max(1, _options.PendingBatches))
            {
                if (_options.Policy == SinkPolicy.DropNewest)
                {
                    Drop(batch, null);
                    UpdateCounters();
                    return;
                }
                Drop(_pending.Dequeue(), null);
                // The oldest batch went: the next one waiting now starts after a gap.
                MarkGap(_pending.Count > 0 ? _pending.Peek() : batch);
            }
            _pending.Enqueue(batch);
        }
        Pump();
    }

    private void Drop(FrameBatch batch, string? why)
    {
        long samples = batch.SampleCount;
        _remote.CountDropped(batch.FrameCount, samples);
        for (int i = 0; i < batch.FrameCount; i++) Counters.CountDropped();
        _gapSamples += samples;
        if (why is not null && _remote.DroppedFrames == batch.FrameCount)
        {
            _log.Error("Remote sink {0}: {1}, frames are being dropped (counted; the consumer's recording shows the gap)", _options.Name, why);
        }
    }

    private void MarkGap(FrameBatch batch)
    {
        if (_gapSamples == 0 || batch.FrameCount == 0) return;
        batch.Frames[0].Flags |= FrameFlags.Gap;
        batch.Frames[0].GapSamples += _gapSamples;
        _gapSamples = 0;
    }

    private void Pump()
    {
        if (_consumer is not null)
        {
            if (_options.Lossless)
            {
                while (_nextToSend <= _sendUpTo && _retained?.InMemoryAt(_nextToSend) is { } batch)
                {
                    _consumer.Tell(batch, Self);
                    _remote.CountSent(batch.FrameCount);
                    _nextToSend++;
                }
            }
            else
            {
                while (_lastSent < _sendUpTo && _pending.Count > 0)
                {
                    FrameBatch batch = _pending.Dequeue();
                    batch.Sequence = ++_lastSent;
                    _consumer.Tell(batch, Self);
                    _remote.CountSent(batch.FrameCount);
                }
            }
        }
        UpdateCounters();
    }

    private void UpdateCounters()
    {
        if (_options.Lossless)
        {
            _remote.InFlight = _nextToSend - 1 - _acked;
            _remote.Credit = _consumer is null ? 0 : Math.Max(0, _sendUpTo - (_nextToSend - 1));
            _remote.InMemory = _retained?.InMemory ?? 0;
            _remote.SpooledBatches = _retained?.Spool.Count ?? 0;
            _remote.SpooledFrames = _retained?.Spool.Frames ?? 0;
            _remote.SpoolBytes = _retained?.Spool.Bytes ?? 0;
        }
        else
        {
            _remote.InFlight = _lastSent - _acked;
            _remote.Credit = _consumer is null ? 0 : Math.Max(0, _sendUpTo - _lastSent);
            _remote.InMemory = _pending.Count;
        }
    }

    private sealed class SealTick
    {
        public static readonly SealTick Instance = new();
    }
}
