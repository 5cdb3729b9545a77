using Eeg.Pipeline.Configuration;
using Eeg.Pipeline.Sinks;
using Eeg.Pipeline.Slabs;

namespace Eeg.Tests.Pipeline.Core.Sinks;

/// <summary>
/// A sink queue with the fan-out and the sink on two real threads, over a hundred thousand frames
/// each: what the single-threaded tests cannot show. Lossless: the fan-out parks when the queue is full
/// and the sink wakes it (a Dekker hand-shake with a fence on each side); a lost wake-up would make the
/// fan-out wait out its whole timeout and mark the sink failed, so "not failed, nothing dropped, every
/// frame in order" proves no wake-up was lost. Drop-oldest: the fan-out takes the oldest frame out while
/// the sink takes frames too; every frame must be either delivered or counted dropped, exactly once,
/// and no slab may be refilled while the sink still holds it.
/// </summary>
[Collection(StressCollection.Name)]
public sealed class FramePolicyQueueStressTests
{
    private const int Frames = 200_000;

    // A guard against a hang, never a timing assertion: a lost wake-up waits out this whole timeout.
    private static readonly TimeSpan LosslessTimeout = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void Lossless_queue_delivers_every_frame_in_order_between_two_threads(int capacity)
    {
        var pool = new SlabPool(capacity + 8, channels: 1, samplesPerSlab: 1);
        var queue = new FramePolicyQueue(SinkPolicy.Lossless, capacity, LosslessTimeout, 1, new SinkCounters("sink", SinkPolicy.Lossless, capacity));
        var sink = new SinkThread(queue, Frames, stampCheckSpins: 0);
        sink.Start();

        long failedOffers = 0;
        for (long i = 0; i < Frames; i++)
        {
            Assert.True(RentWithin(pool, TimeSpan.FromSeconds(5), out Slab slab), $"pool dry at frame {i} for 5 s: a slab was not released");
            slab.FirstSampleIndex = i;
            if (queue.Offer(slab) == OfferResult.Failed) failedOffers++;
        }
        Assert.True(sink.Join(), "the sink thread did not finish");

        Assert.Null(sink.FirstViolation);
        Assert.Equal(0, failedOffers);
        Assert.False(queue.Counters.Failed, queue.Counters.FailureReason);
        Assert.Equal(0, queue.Counters.Dropped);
        Assert.Equal(Frames, sink.Delivered);
        Assert.Equal(Frames - 1, sink.LastIndex);
        Assert.Equal(pool.Capacity, pool.Available);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void Drop_oldest_queue_delivers_or_counts_every_frame_exactly_once_between_two_threads(int capacity)
    {
        var pool = new SlabPool(capacity + 8, channels: 1, samplesPerSlab: 1);
        var counters = new SinkCounters("sink", SinkPolicy.DropOldest, capacity);
        var queue = new FramePolicyQueue(SinkPolicy.DropOldest, capacity, TimeSpan.FromSeconds(1), 1, counters);
        // The sink reads each slab's stamp twice with a pause between: if the fan-out refilled a slab the
        // sink still held (a release too early, or a reordered one), the second read would differ.
        var sink = new SinkThread(queue, expected: -1, stampCheckSpins: 20);
        sink.Start();

        long droppedOnArrival = 0;
        for (long i = 0; i < Frames; i++)
        {
            Assert.True(RentWithin(pool, TimeSpan.FromSeconds(5), out Slab slab), $"pool dry at frame {i} for 5 s: a slab was not released");
            slab.FirstSampleIndex = i;
            OfferResult result = queue.Offer(slab);
            Assert.NotEqual(OfferResult.Failed, result);
            if (result == OfferResult.Dropped) droppedOnArrival++;
        }
        sink.StopWhenEmpty();
        Assert.True(sink.Join(), "the sink thread did not finish");

        Assert.Null(sink.FirstViolation);
        // Each frame ends exactly one way: delivered, dropped as the oldest, or dropped on arrival.
        Assert.Equal(Frames, sink.Delivered + counters.Dropped);
        Assert.Equal(Frames - droppedOnArrival, counters.Enqueued);
        Assert.Equal(pool.Capacity, pool.Available);
    }

    /// <summary>The sink: takes frames, checks their order and stamps, releases them.</summary>
    private sealed class SinkThread
    {
        private readonly FramePolicyQueue _queue;
        private readonly long _expected;
        private readonly int _stampCheckSpins;
        private readonly Thread _thread;
        private volatile bool _stopWhenEmpty;

        public SinkThread(FramePolicyQueue queue, long expected, int stampCheckSpins)
        {
            _queue = queue;
            _expected = expected;
            _stampCheckSpins = stampCheckSpins;
            _thread = new Thread(Loop) { IsBackground = true, Name = "stress-sink" };
        }

        public long Delivered { get; private set; }
        public long LastIndex { get; private set; } = -1;
        public string? FirstViolation { get; private set; }

        public void Start() => _thread.Start();

        public void StopWhenEmpty() => _stopWhenEmpty = true;

        public bool Join() => _thread.Join(TimeSpan.FromSeconds(120));

        private void Loop()
        {
            var spin = new SpinWait();
            while (_expected < 0 || Delivered < _expected)
            {
                if (!_queue.TryTake(out Slab slab))
                {
                    if (_stopWhenEmpty && _queue.Count == 0) return;
                    spin.SpinOnce(sleep1Threshold: -1);
                    continue;
                }
                long index = slab.FirstSampleIndex;
                if (index <= LastIndex) FirstViolation ??= $"frame {index} after {LastIndex}: out of order or seen twice";
                if (_expected >= 0 && index != LastIndex + 1) FirstViolation ??= $"frame {index} after {LastIndex}: a lossless queue skipped frames";
                if (_stampCheckSpins > 0)
                {
                    Thread.SpinWait(_stampCheckSpins);
                    if (slab.FirstSampleIndex != index) FirstViolation ??= $"slab of frame {index} was refilled with {slab.FirstSampleIndex} while the sink held it";
                }
                LastIndex = index;
                Delivered++;
                slab.Release();
            }
        }
    }

    /// <summary>
    /// A slab being returned by a preempted sink thread is invisible for a moment (the pool is a FIFO
    /// queue); a leaked one never comes back. Waiting a bounded time tells the two apart.
    /// </summary>
    private static bool RentWithin(SlabPool pool, TimeSpan limit, out Slab slab)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!pool.TryRent(out slab))
        {
            if (clock.Elapsed > limit) return false;
            Thread.Yield();
        }
        return true;
    }
}
