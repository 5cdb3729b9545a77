using Eeg.Pipeline.Queues;
using Eeg.Pipeline.Slabs;
using Eeg.Shared.Frames;

namespace Eeg.Tests.Pipeline.Core.Slabs;

public sealed class SlabPoolTests
{
    [Fact]
    public void A_rented_slab_is_cleared_and_holds_one_reference()
    {
        var pool = new SlabPool(1, channels: 4, samplesPerSlab: 8);
        Assert.True(pool.TryRent(out Slab slab));
        slab.FirstSampleIndex = 1234;
        slab.SampleCount = 8;
        slab.Flags = FrameFlags.Gap;
        slab.GapSamples = 3;
        slab.LeadOffPositive = 0xF;
        Assert.True(slab.TryAddTrigger(default));
        slab.Release();

        Assert.True(pool.TryRent(out Slab again));
        Assert.Same(slab, again); // the only slab, recycled
        Assert.Equal(1, again.References);
        Assert.Equal((0L, 0, FrameFlags.None, 0L, 0u, 0), (again.FirstSampleIndex, again.SampleCount, again.Flags, again.GapSamples, again.LeadOffPositive, again.TriggerCount));
    }

    [Fact]
    public void A_slab_has_room_for_every_sample_of_every_channel()
    {
        var pool = new SlabPool(2, channels: 32, samplesPerSlab: 4);
        Assert.True(pool.TryRent(out Slab slab));
        Assert.Equal((32, 4), (slab.Channels, slab.MaxSamples));
        Assert.Equal(128, slab.Counts.Length);
        Assert.Equal(128, slab.Microvolts.Length);
        Assert.Equal(4, slab.DrdyTicks.Length);
        slab.SampleCount = 2;
        Assert.Equal(64, slab.CountSpan.Length);
        Assert.Equal(64, slab.MicrovoltSpan.Length);
    }

    [Fact]
    public void The_slab_goes_back_to_the_pool_only_when_the_last_holder_releases_it()
    {
        var pool = new SlabPool(2, channels: 1, samplesPerSlab: 1);
        Assert.True(pool.TryRent(out Slab slab));
        slab.SetReferences(3);
        Assert.Equal(1, pool.Available);

        slab.Release();
        slab.Release();
        Assert.Equal(1, slab.References);
        Assert.Equal(1, pool.Available);

        slab.Release();
        Assert.Equal(0, slab.References);
        Assert.Equal(2, pool.Available);
    }

    [Fact]
    public void A_sink_that_forwards_the_slab_adds_a_reference_and_both_must_release()
    {
        var pool = new SlabPool(1, channels: 1, samplesPerSlab: 1);
        Assert.True(pool.TryRent(out Slab slab));
        slab.AddReferences(1);
        slab.Release();
        Assert.Equal(0, pool.Available);
        slab.Release();
        Assert.Equal(1, pool.Available);
    }

    [Fact]
    public void Releasing_a_slab_more_times_than_it_was_shared_throws()
    {
        var pool = new SlabPool(1, channels: 1, samplesPerSlab: 1);
        Assert.True(pool.TryRent(out Slab slab));
        slab.SetReferences(2);
        slab.Release();
        slab.Release();
        var error = Assert.Throws<InvalidOperationException>(slab.Release);
        Assert.Contains("released more times", error.Message);
        Assert.Equal(1, pool.Available); // returned once, not twice
    }

    [Fact]
    public void Adding_a_reference_to_a_slab_that_is_back_in_the_pool_throws()
    {
        var pool = new SlabPool(1, channels: 1, samplesPerSlab: 1);
        Assert.True(pool.TryRent(out Slab slab));
        slab.Release();
        Assert.Throws<InvalidOperationException>(() => slab.AddReferences(1));
    }

    [Fact]
    public void A_dry_pool_returns_false_instead_of_waiting_or_allocating()
    {
        var pool = new SlabPool(3, channels: 2, samplesPerSlab: 2);
        var rented = new List<Slab>();
        for (int i = 0; i < 3; i++)
        {
            Assert.True(pool.TryRent(out Slab slab));
            rented.Add(slab);
        }
        Assert.Equal(3, rented.Distinct().Count());
        Assert.Equal(0, pool.Available);

        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.False(pool.TryRent(out _));
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);

        rented[1].Release();
        Assert.True(pool.TryRent(out Slab back));
        Assert.Same(rented[1], back);
    }

    [Fact]
    public void Renting_and_releasing_allocates_nothing()
    {
        var pool = new SlabPool(4, channels: 32, samplesPerSlab: 1);
        Assert.True(pool.TryRent(out Slab warm));
        warm.Release();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100_000; i++)
        {
            pool.TryRent(out Slab slab);
            slab.SetReferences(3);
            slab.Release();
            slab.Release();
            slab.Release();
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(4, pool.Available);
    }

    [Fact]
    public void A_frame_carries_at_most_MaxTriggers_triggers()
    {
        var slab = new Slab(1, 1);
        for (int i = 0; i < Slab.MaxTriggers; i++) Assert.True(slab.TryAddTrigger(default));
        Assert.False(slab.TryAddTrigger(default));
        Assert.Equal(Slab.MaxTriggers, slab.TriggerCount);
        Assert.True(slab.Flags.HasFlag(FrameFlags.Triggers));
    }

    [Collection(StressCollection.Name)]
    public sealed class Stress
    {
        private const int Stamp = 0;
        private const int Inside = 1;

        /// <summary>
        /// The reader rents, stamps and shares each slab with three sink threads; each sink marks itself
        /// inside the slab, checks the stamp on entry and again after some work, then releases. If a slab
        /// went back to the pool while a sink still held it, the reader would rent it again and either
        /// find a sink inside or change the stamp under that sink.
        /// </summary>
        [Fact]
        public void A_slab_released_by_several_sink_threads_is_never_reused_while_a_sink_holds_it()
        {
            const int sinks = 3;
            const int frames = 300_000;
            var pool = new SlabPool(6, channels: 2, samplesPerSlab: 1);
            var queues = Enumerable.Range(0, sinks).Select(_ => new BoundedMpmcQueue<Slab>(4)).ToArray();
            long violations = 0;
            string? firstViolation = null;
            void Violation(string message)
            {
                Interlocked.Increment(ref violations);
                Interlocked.CompareExchange(ref firstViolation, message, null);
            }

            var sinkThreads = Enumerable.Range(0, sinks).Select(s => new Thread(() =>
            {
                BoundedMpmcQueue<Slab> queue = queues[s];
                for (int expected = 0; expected < frames; expected++)
                {
                    Slab? slab;
                    while (!queue.TryDequeue(out slab)) Thread.Yield();
                    Interlocked.Increment(ref slab.Counts[Inside]);
                    if (Volatile.Read(ref slab.Counts[Stamp]) != expected) Violation($"sink {s} got frame stamped {slab.Counts[Stamp]}, expected {expected}");
                    Thread.SpinWait(20 + (expected % 7) * 10); // hold the slab a varying while
                    if (Volatile.Read(ref slab.Counts[Stamp]) != expected) Violation($"frame {expected} was re-stamped while sink {s} held it");
                    Interlocked.Decrement(ref slab.Counts[Inside]);
                    try
                    {
                        slab.Release();
                    }
                    catch (InvalidOperationException e)
                    {
                        Violation($"sink {s}, frame {expected}: {e.Message}"); // a count that went wrong earlier
                    }
                }
            })).ToList();
            sinkThreads.ForEach(t => t.Start());

            for (int frame = 0; frame < frames; frame++)
            {
                Slab slab;
                while (!pool.TryRent(out slab)) Thread.Yield();
                if (Volatile.Read(ref slab.Counts[Inside]) != 0) Violation($"slab rented for frame {frame} while a sink was still inside it");
                Volatile.Write(ref slab.Counts[Stamp], frame);
                slab.FirstSampleIndex = frame;
                slab.SetReferences(sinks);
                foreach (BoundedMpmcQueue<Slab> queue in queues)
                {
                    while (!queue.TryEnqueue(slab)) Thread.Yield();
                }
            }
            foreach (Thread thread in sinkThreads) Assert.True(thread.Join(TimeSpan.FromSeconds(120)), "a sink thread hung");

            Assert.Null(firstViolation);
            Assert.Equal(0, violations);
            Assert.Equal(pool.Capacity, pool.Available);
        }
    }
}
