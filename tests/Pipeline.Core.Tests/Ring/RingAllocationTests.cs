using Eeg.Pipeline.Configuration;
using Eeg.Pipeline.Ring;
using static Eeg.Tests.Pipeline.Core.Ring.RingTestSupport;

namespace Eeg.Tests.Pipeline.Core.Ring;

/// <summary>Zero bytes per event, on the producer thread and on the consumer thread, measured exactly.</summary>
[Collection(StressCollection.Name)]
public sealed class RingAllocationTests
{
    private const long WarmUp = 20_000;
    private const long Measured = 100_000;

    /// <summary>Reads the consumer thread's allocation counter at the last warm-up event and at the last event.</summary>
    private sealed class AllocationProbe : IEventHandler<TestEvent>
    {
        public long AtWarmUpEnd;
        public long AtEnd;
        public long Seen;
        public readonly ManualResetEventSlim Done = new(false);

        public void OnEvent(TestEvent data, long sequence, bool endOfBatch)
        {
            Seen += data.Value == sequence ? 1 : 0;
            if (sequence == WarmUp - 1) AtWarmUpEnd = GC.GetAllocatedBytesForCurrentThread();
            if (sequence == WarmUp + Measured - 1)
            {
                AtEnd = GC.GetAllocatedBytesForCurrentThread();
                Done.Set();
            }
        }
    }

    [Theory]
    [InlineData(WaitStrategyKind.Blocking)]
    [InlineData(WaitStrategyKind.Yielding)]
    [InlineData(WaitStrategyKind.BusySpin)]
    public void Producer_and_consumer_allocate_zero_bytes_over_100k_events(WaitStrategyKind kind)
    {
        var ring = NewRing(1024, kind);
        var probe = new AllocationProbe();
        var processor = new BatchEventProcessor<TestEvent>(ring, ring.NewBarrier(), probe);
        ring.AddGatingSequences(processor.Sequence);
        Thread thread = processor.StartOnNewThread($"allocation-{kind}");
        Assert.True(processor.WaitUntilStarted(Hang));

        Publish(ring, WarmUp);
        long before = GC.GetAllocatedBytesForCurrentThread();
        // Both claim paths the producer can use: TryNext (the reader) and Next (benchmarks).
        for (long i = 0; i < Measured; i++)
        {
            long sequence;
            if ((i & 1) == 0)
            {
                sequence = ring.Next();
            }
            else
            {
                while (!ring.TryNext(out sequence)) Thread.SpinWait(1);
            }
            ring[sequence].Fill(sequence);
            ring.Publish(sequence);
        }
        long producerBytes = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(probe.Done.Wait(Hang));
        Stop(processor, thread);
        Assert.Equal(WarmUp + Measured, probe.Seen);
        Assert.Equal(0, producerBytes);
        Assert.Equal(0, probe.AtEnd - probe.AtWarmUpEnd);
    }

    [Theory]
    [InlineData(WaitStrategyKind.Blocking, true)]
    [InlineData(WaitStrategyKind.Blocking, false)]
    [InlineData(WaitStrategyKind.Yielding, false)]
    public void A_consumer_that_goes_back_to_waiting_after_every_event_allocates_zero_bytes(WaitStrategyKind kind, bool parkAtOnce)
    {
        // One event at a time, the producer waiting until it was handled: with the blocking strategy the
        // consumer parks in Monitor.Wait and is woken by PulseAll for (almost) every event, which is the
        // 4000-frames/s situation on the Pi; the fast test above mostly finds events already there.
        // Here the producer publishes the next event at once, within the default strategy's 5 us spin,
        // so the parking path is measured with the spin off (parkAtOnce) and the spin path with it on.
        const long warmUp = 2_000;
        const long measured = 10_000;
        var ring = parkAtOnce
            ? NewParkingRing(64)
            : NewRing(64, kind);
        var probe = new PacedProbe(warmUp, measured);
        var processor = new BatchEventProcessor<TestEvent>(ring, ring.NewBarrier(), probe);
        ring.AddGatingSequences(processor.Sequence);
        Thread thread = processor.StartOnNewThread($"paced-allocation-{kind}-{parkAtOnce}");
        Assert.True(processor.WaitUntilStarted(Hang));

        long producerBefore = 0;
        for (long i = 0; i < warmUp + measured; i++)
        {
            if (i == warmUp) producerBefore = GC.GetAllocatedBytesForCurrentThread();
            long sequence = ring.Next();
            ring[sequence].Fill(sequence);
            ring.Publish(sequence);
            SpinWait spin = default;
            while (processor.Sequence.Value < sequence) spin.SpinOnce(sleep1Threshold: -1);
        }
        long producerBytes = GC.GetAllocatedBytesForCurrentThread() - producerBefore;

        Assert.True(probe.Done.Wait(Hang));
        Stop(processor, thread);
        Assert.Equal(warmUp + measured, probe.Seen);
        Assert.Equal(0, producerBytes);
        Assert.Equal(0, probe.AtEnd - probe.AtWarmUpEnd);
        if (parkAtOnce && ring.WaitStrategy is BlockingWaitStrategy blocking)
        {
            // Measured here: 11,997 parks for 12,000 events. Half is a wide margin for a loaded machine.
            Assert.True(blocking.Parks >= measured / 2, $"the consumer parked only {blocking.Parks} times: the parking path was hardly measured");
        }
    }

    private sealed class PacedProbe(long warmUp, long measured) : IEventHandler<TestEvent>
    {
        public long AtWarmUpEnd;
        public long AtEnd;
        public long Seen;
        public readonly ManualResetEventSlim Done = new(false);

        public void OnEvent(TestEvent data, long sequence, bool endOfBatch)
        {
            Seen += data.Value == sequence ? 1 : 0;
            if (sequence == warmUp - 1) AtWarmUpEnd = GC.GetAllocatedBytesForCurrentThread();
            if (sequence == warmUp + measured - 1)
            {
                AtEnd = GC.GetAllocatedBytesForCurrentThread();
                Done.Set();
            }
        }
    }
}
