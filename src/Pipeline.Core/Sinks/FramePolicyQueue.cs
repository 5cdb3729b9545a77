using System.Diagnostics;
using Eeg.Pipeline.Configuration;
using Eeg.Pipeline.Queues;
using Eeg.Pipeline.Slabs;

namespace Eeg.Pipeline.Sinks;

/// <summary>What happened to a frame offered to a sink.</summary>
public enum OfferResult { Accepted, AcceptedAfterDroppingOldest, Dropped, Failed }

/// <summary>
/// One sink's bounded frame queue with its loss policy: the single place where the seed's table
/// ("may drop? / depth / on overflow") is enforced. The fan-out (one producer) offers; the sink
/// (one consumer) takes. Every drop and every blocked tick is counted in <see cref="SinkCounters"/>.
/// </summary>
/// <remarks>
/// A dropped frame's slab is released here, so a drop returns its memory to the pool at once.
/// A sink sees a drop as a jump in the sample index of the next frame it receives.
/// Storage is the lock-free <see cref="BoundedMpmcQueue{T}"/>: the producer itself takes the oldest
/// out for drop-oldest, so both ends may dequeue. No allocation on any path after construction.
/// </remarks>
public sealed class FramePolicyQueue
{
    private readonly BoundedMpmcQueue<Slab> _frames;
    private readonly SinkCounters _counters;
    private readonly long _losslessTimeoutTicks;
    private readonly int _decimateFactor;
    // The lossless wait parks on a monitor over this object, allocated here: ManualResetEventSlim
    // allocates its lock object lazily on its first real wait, which put 24-40 bytes on the DSP
    // thread in the middle of a run (caught by Pipeline.Latency's hot-path allocation check).
    private readonly object _gate = new();
    private int _producerWaiting;
    private long _offeredWhileFull;

    public FramePolicyQueue(SinkPolicy policy, int capacity, TimeSpan losslessTimeout, int decimateFactor, SinkCounters counters)
    {
        if (decimateFactor < 1) throw new ArgumentOutOfRangeException(nameof(decimateFactor));
        Policy = policy;
        _frames = new BoundedMpmcQueue<Slab>(capacity);
        _losslessTimeoutTicks = (long)(losslessTimeout.TotalSeconds * Stopwatch.Frequency);
        _decimateFactor = decimateFactor;
        _counters = counters;
        counters.AttachDepth(() => _frames.Count);
    }

    public SinkPolicy Policy { get; }
    public int Capacity => _frames.Capacity;
    public int Count => _frames.Count;
    public SinkCounters Counters => _counters;

    /// <summary>
    /// Hands a frame (one reference of the slab) to the sink. Never blocks unless the policy is
    /// lossless, and then at most the lossless timeout. Single producer.
    /// </summary>
    public OfferResult Offer(Slab slab)
    {
        if (_counters.Failed)
        {
            // A failed sink takes nothing until it is cleared (a new recording); each frame it
            // misses is counted, so the loss is visible, never silent.
            slab.Release();
            _counters.CountDropped();
            return OfferResult.Failed;
        }
        if (_frames.TryEnqueue(slab))
        {
            _offeredWhileFull = 0;
            _counters.CountEnqueued();
            return OfferResult.Accepted;
        }
        return Policy switch
        {
            SinkPolicy.DropNewest => DropArriving(slab),
            SinkPolicy.DropOldest => ReplaceOldest(slab),
            SinkPolicy.Decimate => ++_offeredWhileFull % _decimateFactor == 0 ? ReplaceOldest(slab) : DropArriving(slab),
            SinkPolicy.Lossless => WaitForSpace(slab),
            _ => throw new InvalidOperationException($"unknown policy {Policy}"),
        };
    }

    /// <summary>Takes the oldest frame, if any. Single consumer (the sink).</summary>
    public bool TryTake(out Slab slab)
    {
        if (!_frames.TryDequeue(out Slab? taken))
        {
            slab = null!;
            return false;
        }
        if (Policy == SinkPolicy.Lossless)
        {
            // Dekker-style hand-shake with WaitForSpace: the slot we just freed must be visible
            // before we read the producer's "waiting" flag, and the producer sets the flag before it
            // re-checks for space. Without this full fence (store-load reordering is allowed even on
            // x86) both could miss each other and the fan-out would wait out its whole timeout.
            Interlocked.MemoryBarrier();
            if (Volatile.Read(ref _producerWaiting) != 0)
            {
                lock (_gate) Monitor.PulseAll(_gate);
            }
        }
        slab = taken;
        return true;
    }

    /// <summary>Releases every queued frame (the sink stopped).</summary>
    public int Drain()
    {
        int drained = 0;
        while (_frames.TryDequeue(out Slab? slab))
        {
            slab.Release();
            drained++;
        }
        return drained;
    }

    private OfferResult DropArriving(Slab slab)
    {
        slab.Release();
        _counters.CountDropped();
        return OfferResult.Dropped;
    }

    private OfferResult ReplaceOldest(Slab slab)
    {
        if (_frames.TryDequeue(out Slab? oldest))
        {
            oldest.Release();
            _counters.CountDropped();
        }
        // The sink may have taken a frame meanwhile; either way there is room now, as we are the
        // only producer. Should it somehow not be, the arriving frame is the one dropped.
        if (_frames.TryEnqueue(slab))
        {
            _counters.CountEnqueued();
            return OfferResult.AcceptedAfterDroppingOldest;
        }
        return DropArriving(slab);
    }

    private OfferResult WaitForSpace(Slab slab)
    {
        long start = Stopwatch.GetTimestamp();
        long deadline = start + _losslessTimeoutTicks;
        try
        {
            lock (_gate)
            {
                while (true)
                {
                    Volatile.Write(ref _producerWaiting, 1);
                    Interlocked.MemoryBarrier(); // the flag is visible before we look for space again
                    if (_frames.TryEnqueue(slab))
                    {
                        _counters.CountEnqueued();
                        return OfferResult.Accepted;
                    }
                    long now = Stopwatch.GetTimestamp();
                    if (now >= deadline) break;
                    // Parks on the sink's progress (not a fixed sleep): TryTake pulses as soon as a
                    // slot frees. We hold the lock from the check to the wait, so a pulse cannot fall
                    // between them. The timeout only bounds how long a stuck sink holds the fan-out.
                    Monitor.Wait(_gate, TimeSpan.FromSeconds((deadline - now) / (double)Stopwatch.Frequency));
                }
            }
        }
        finally
        {
            Volatile.Write(ref _producerWaiting, 0);
            _counters.CountBlocked(Stopwatch.GetTimestamp() - start);
        }
        double seconds = _losslessTimeoutTicks / (double)Stopwatch.Frequency;
        _counters.Fail($"lossless sink '{_counters.Name}' did not take a frame for {seconds:0.###} s; marked failed, acquisition goes on");
        slab.Release();
        _counters.CountDropped();
        return OfferResult.Failed;
    }
}
