using Eeg.Pipeline.Configuration;
using Eeg.Pipeline.Ring;
using static Eeg.Tests.Pipeline.Core.Ring.RingTestSupport;

namespace Eeg.Tests.Pipeline.Core.Ring;

[Collection(StressCollection.Name)]
public sealed class BatchEventProcessorTests
{
    private sealed class RecordingHandler : IEventHandler<TestEvent>
    {
        public readonly List<(long Sequence, bool EndOfBatch)> Events = new();
        public readonly List<long> BatchSizes = new();
        public readonly ManualResetEventSlim Reached = new(false);
        public long ReachAt = long.MaxValue;
        public long ThrowAt = -1;
        public int Starts;
        public int Shutdowns;
        public int? StartThread;

        public void OnStart()
        {
            Starts++;
            StartThread = Environment.CurrentManagedThreadId;
        }

        public void OnShutdown() => Shutdowns++;

        public void OnBatchStart(long batchSize) => BatchSizes.Add(batchSize);

        public void OnEvent(TestEvent data, long sequence, bool endOfBatch)
        {
            Events.Add((sequence, endOfBatch));
            if (sequence >= ReachAt) Reached.Set();
            if (sequence == ThrowAt) throw new InvalidOperationException("handler failure for the test");
        }
    }

    [Fact]
    public void Processor_hands_every_available_slot_as_one_batch_with_endOfBatch_on_the_last()
    {
        var ring = NewRing(16, WaitStrategyKind.Blocking);
        var handler = new RecordingHandler { ReachAt = 9 };
        var processor = new BatchEventProcessor<TestEvent>(ring, ring.NewBarrier(), handler);
        ring.AddGatingSequences(processor.Sequence);
        Publish(ring, 10); // all ten are there before the consumer starts

        Thread thread = processor.StartOnNewThread("batch-test");
        Assert.True(handler.Reached.Wait(Hang));
        Stop(processor, thread);

        Assert.Equal(new long[] { 10 }, handler.BatchSizes);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => ((long)i, i == 9)), handler.Events);
        Assert.Equal(9, processor.Sequence.Value);
        Assert.Equal((1, 1), (handler.Starts, handler.Shutdowns));
        Assert.Equal(thread.ManagedThreadId, handler.StartThread);
    }

    [Fact]
    public void Handler_exception_is_reported_and_the_sequence_still_advances()
    {
        var ring = NewRing(8, WaitStrategyKind.Blocking);
        var handler = new RecordingHandler { ThrowAt = 2, ReachAt = 4 };
        var reported = new List<(Exception, long)>();
        var processor = new BatchEventProcessor<TestEvent>(ring, ring.NewBarrier(), handler)
        {
            ExceptionHandler = (exception, sequence) => reported.Add((exception, sequence)),
        };
        ring.AddGatingSequences(processor.Sequence);
        Thread thread = processor.StartOnNewThread("exception-test");
        Assert.True(processor.WaitUntilStarted(Hang));

        Publish(ring, 5);
        Assert.True(handler.Reached.Wait(Hang));
        Stop(processor, thread);

        var (exception, failedAt) = Assert.Single(reported);
        Assert.IsType<InvalidOperationException>(exception);
        Assert.Equal(2, failedAt);
        Assert.Equal(new long[] { 0, 1, 2, 3, 4 }, handler.Events.Select(e => e.Sequence));
        Assert.Equal(4, processor.Sequence.Value);
        // the ring did not stall: the producer can claim a full ring again
        Assert.Equal(8, ring.RemainingCapacity());
    }

    [Fact]
    public void Halt_before_Run_makes_Run_return_at_once_without_calling_the_handler()
    {
        var ring = NewRing(4, WaitStrategyKind.Blocking);
        var handler = new RecordingHandler();
        var processor = new BatchEventProcessor<TestEvent>(ring, ring.NewBarrier(), handler);
        processor.Halt();
        processor.Run();
        Assert.False(processor.IsRunning);
        Assert.Equal(0, handler.Starts);
    }

    [Fact]
    public void Running_a_processor_twice_at_once_is_refused()
    {
        var ring = NewRing(4, WaitStrategyKind.Blocking);
        var processor = new BatchEventProcessor<TestEvent>(ring, ring.NewBarrier(), new RecordingHandler());
        Thread thread = processor.StartOnNewThread("twice-test");
        Assert.True(processor.WaitUntilStarted(Hang));
        Assert.True(processor.IsRunning);
        Assert.Throws<InvalidOperationException>(processor.Run);
        Stop(processor, thread);
        Assert.False(processor.IsRunning);
    }

    [Theory]
    [InlineData(WaitStrategyKind.Blocking)]
    [InlineData(WaitStrategyKind.Yielding)]
    [InlineData(WaitStrategyKind.BusySpin)]
    public void Halt_wakes_a_consumer_that_waits_for_an_event_that_never_comes(WaitStrategyKind kind)
    {
        var ring = NewRing(4, kind);
        var handler = new RecordingHandler();
        var processor = new BatchEventProcessor<TestEvent>(ring, ring.NewBarrier(), handler);
        Thread thread = processor.StartOnNewThread("halt-test");
        Assert.True(processor.WaitUntilStarted(Hang));
        if (ring.WaitStrategy is BlockingWaitStrategy blocking)
        {
            // Make sure it is really parked in Monitor.Wait, not on its way there.
            Assert.True(SpinWait.SpinUntil(() => blocking.Waiters == 1, Hang));
        }

        Stop(processor, thread);
        Assert.Equal(1, handler.Shutdowns);
        Assert.Empty(handler.Events);
    }

    [Theory]
    [InlineData(WaitStrategyKind.Blocking)]
    [InlineData(WaitStrategyKind.Yielding)]
    [InlineData(WaitStrategyKind.BusySpin)]
    public void Alert_makes_a_blocked_WaitFor_throw_AlertException(WaitStrategyKind kind)
    {
        var ring = NewRing(4, kind);
        SequenceBarrier barrier = ring.NewBarrier();
        Exception? caught = null;
        var waiter = new Thread(() =>
        {
            try { barrier.WaitFor(0); }
            catch (Exception e) { caught = e; }
        });
        waiter.Start();
        if (ring.WaitStrategy is BlockingWaitStrategy blocking)
        {
            Assert.True(SpinWait.SpinUntil(() => blocking.Waiters == 1, Hang));
        }

        barrier.Alert();
        Assert.True(waiter.Join(Hang));
        Assert.Same(AlertException.Instance, caught);
        Assert.True(barrier.IsAlerted);
        Assert.Throws<AlertException>(() => barrier.WaitFor(0));
        barrier.ClearAlert();
        Assert.False(barrier.IsAlerted);
    }

    [Fact]
    public void Blocking_strategy_wakes_a_parked_consumer_when_the_producer_publishes()
    {
        var ring = NewRing(4, WaitStrategyKind.Blocking);
        var blocking = (BlockingWaitStrategy)ring.WaitStrategy;
        var handler = new RecordingHandler { ReachAt = 0 };
        var processor = new BatchEventProcessor<TestEvent>(ring, ring.NewBarrier(), handler);
        Thread thread = processor.StartOnNewThread("wake-test");
        Assert.True(SpinWait.SpinUntil(() => blocking.Waiters == 1, Hang));

        Publish(ring, 1);
        Assert.True(handler.Reached.Wait(Hang));
        Stop(processor, thread);
        Assert.Equal(0, blocking.Waiters);
    }

    [Theory]
    [InlineData(WaitStrategyKind.Blocking)]
    [InlineData(WaitStrategyKind.Yielding)]
    public void Consumer_B_after_A_sees_each_event_only_after_A_handled_it(WaitStrategyKind kind)
    {
        // BusySpin is left out: producer + two spinning consumers are three spinning threads on this
        // 2-core machine; the stress test and RingSelfTest cover busy-spin with fewer threads.
        const long events = 200_000;
        var ring = NewRing(256, kind);
        var a = new CheckingHandler(events, markForDownstream: true);
        var b = new CheckingHandler(events, requireUpstream: true);
        var processorA = new BatchEventProcessor<TestEvent>(ring, ring.NewBarrier(), a);
        var processorB = new BatchEventProcessor<TestEvent>(ring, ring.NewBarrier(processorA.Sequence), b);
        ring.AddGatingSequences(processorB.Sequence); // B is the end of the chain
        Thread threadA = processorA.StartOnNewThread("chain-a");
        Thread threadB = processorB.StartOnNewThread("chain-b");

        Publish(ring, events);
        Assert.True(b.Done.Wait(Hang), $"B stopped at {processorB.Sequence.Value}");
        Stop(processorA, threadA);
        Stop(processorB, threadB);

        Assert.Equal((0L, events, null), (a.Violations, a.Seen, a.FirstViolation));
        Assert.Equal((0L, events, null), (b.Violations, b.Seen, b.FirstViolation));
    }

    [Fact]
    public void WaitStrategies_Create_returns_the_strategy_the_setting_names()
    {
        Assert.IsType<BusySpinWaitStrategy>(WaitStrategies.Create(WaitStrategyKind.BusySpin));
        Assert.IsType<YieldingWaitStrategy>(WaitStrategies.Create(WaitStrategyKind.Yielding));
        Assert.IsType<BlockingWaitStrategy>(WaitStrategies.Create(WaitStrategyKind.Blocking));
        Assert.Throws<ArgumentOutOfRangeException>(() => WaitStrategies.Create((WaitStrategyKind)42));
    }
}
