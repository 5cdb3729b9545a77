using Eeg.Pipeline.Configuration;
using Eeg.Pipeline.Ring;
using static Eeg.Tests.Pipeline.Core.Ring.RingTestSupport;

namespace Eeg.Tests.Pipeline.Core.Ring;

/// <summary>
/// Start and halt of a ring consumer racing each other, thousands of times. Run clears the barrier's
/// alert and then reads the processor's state; Halt writes the state and then raises the alert. That is
/// a store followed by a load on each side (a Dekker pair): without a full fence in Run, its load of the
/// state can be satisfied before its "clear alert" store is visible (store buffering, on x86 as on
/// arm64), the alert raised by Halt can then be overwritten by the late clear, and the consumer waits
/// forever on a ring that nobody will publish to again. Its thread never ends: shutdown would hang.
/// </summary>
[Collection(StressCollection.Name)]
public sealed class BatchEventProcessorStressTests
{
    // Without the fence the hang showed at rounds 4419 and 3401 of 60,000 on the 2-core x86 machine
    // (about one in 4000): 10,000 rounds for each of the two strategies catch it almost always, ~3 s each.
    private const int Rounds = 10_000;

    [Theory]
    [InlineData(WaitStrategyKind.Blocking)]
    [InlineData(WaitStrategyKind.Yielding)]
    public void Halt_racing_the_start_of_a_consumer_stops_it_every_time(WaitStrategyKind kind)
    {
        var random = new Random(20261127);
        for (int round = 0; round < Rounds; round++)
        {
            var ring = NewRing(4, kind);
            var processor = new BatchEventProcessor<TestEvent>(ring, ring.NewBarrier(), new CheckingHandler(1));
            ring.AddGatingSequences(processor.Sequence);
            Thread thread = processor.StartOnNewThread($"halt-race-{kind}");
            // A random head start, so that Halt lands anywhere from before Run's first instruction to
            // a consumer already waiting for an event.
            Thread.SpinWait(random.Next(0, 400));
            processor.Halt();
            if (!thread.Join(Hang))
            {
                // Let the stuck thread go before failing, so that it does not spin through the other tests.
                processor.Halt();
                thread.Join(Hang);
                Assert.Fail($"round {round}: the consumer missed Halt and kept waiting for {Hang.TotalSeconds:0} s");
            }
            Assert.False(processor.IsRunning);
        }
    }
}
