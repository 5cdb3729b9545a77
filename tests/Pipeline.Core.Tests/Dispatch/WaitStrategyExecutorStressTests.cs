using Akka.Dispatch;
using Eeg.Pipeline.Configuration;
using Eeg.Pipeline.Dispatch;

namespace Eeg.Tests.Pipeline.Core.Dispatch;

/// <summary>
/// The low-latency dispatcher's executor woken thousands of times from another thread. With the
/// blocking strategy the executor parks when idle, and Execute wakes it only if it saw the executor's
/// "sleeping" flag (a Dekker hand-shake with a fence on each side). The test sends one work item at a
/// time and waits until it ran before sending the next, after a random pause that leaves the executor
/// spinning, about to park or parked: a single lost wake-up leaves an item that never runs.
/// </summary>
[Collection(StressCollection.Name)]
public sealed class WaitStrategyExecutorStressTests
{
    private const int Items = 5000;

    // A guard against a hang, never a timing assertion.
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(WaitStrategyKind.Blocking)]
    [InlineData(WaitStrategyKind.Yielding)]
    public void Every_item_handed_to_the_executor_runs_even_when_it_had_gone_to_sleep(WaitStrategyKind kind)
    {
        var executor = new WaitStrategyExecutor($"stress-{kind}", kind);
        try
        {
            var counter = new CountingRunnable();
            var random = new Random(20261127);
            for (int i = 0; i < Items; i++)
            {
                // Mostly short spins (the executor still spinning or just parking); one in 16 a yield of
                // the time slice, long enough for it to be parked for sure.
                if (random.Next(16) == 0) Thread.Yield();
                else Thread.SpinWait(random.Next(0, 3000));
                executor.Execute(counter);
                Assert.True(counter.WaitFor(i + 1, Hang), $"item {i + 1} never ran: the executor missed its wake-up");
            }
            Assert.Equal(Items, counter.Runs);
        }
        finally
        {
            executor.Shutdown();
        }
    }

    private sealed class CountingRunnable : IRunnable
    {
        private int _runs;

        public int Runs => Volatile.Read(ref _runs);

        public void Run() => Interlocked.Increment(ref _runs);

        public void Execute() => Run();

        public bool WaitFor(int runs, TimeSpan limit) => SpinWait.SpinUntil(() => Runs >= runs, limit);
    }
}
