namespace Eeg.Tests.Acquisition.Node.Support;

/// <summary>
/// Waits for a condition by progress rather than by a fixed time: as long as a counter keeps rising
/// the wait goes on, and it gives up only after <c>stall</c> without any progress (or a hard limit of
/// five minutes). Real-time tests on a shared 2-core machine are slow at load 15+, not stuck; a
/// stuck pipeline still fails after the stall time.
/// </summary>
internal static class Progress
{
    private static readonly TimeSpan HardLimit = TimeSpan.FromMinutes(5);

    /// <summary>Waits until <paramref name="counter"/> reaches <paramref name="target"/>.</summary>
    public static bool WaitFor(Func<long> counter, long target, TimeSpan stall) =>
        WaitFor(counter, () => counter() >= target, stall);

    /// <summary>Waits until <paramref name="done"/> holds while <paramref name="counter"/> keeps rising.</summary>
    public static bool WaitFor(Func<long> counter, Func<bool> done, TimeSpan stall)
    {
        DateTime start = DateTime.UtcNow;
        DateTime lastProgress = start;
        long last = counter();
        while (true)
        {
            if (done()) return true;
            DateTime now = DateTime.UtcNow;
            long value = counter();
            if (value != last)
            {
                last = value;
                lastProgress = now;
            }
            if (now - lastProgress > stall || now - start > HardLimit) return done();
            Thread.Sleep(50); // a test's polling interval, not a data path
        }
    }
}
