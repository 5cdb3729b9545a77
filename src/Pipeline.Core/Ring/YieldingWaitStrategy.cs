namespace Eeg.Pipeline.Ring;

/// <summary>
/// Spins a short while (about <see cref="SpinTries"/> checks, a few microseconds) and then calls
/// <see cref="Thread.Yield"/> between checks: near busy-spin latency while events flow, and lets other
/// ready threads on the same core run when it idles. Still shows as a busy core in top, because the
/// thread stays runnable; no fixed sleep.
/// </summary>
public sealed class YieldingWaitStrategy : IWaitStrategy
{
    /// <summary>Checks done by pure spinning before each wait starts yielding.</summary>
    public const int SpinTries = 100;

    public long WaitFor(long sequence, Sequence cursor, Sequence dependentSequence, SequenceBarrier barrier)
    {
        long available;
        int counter = SpinTries;
        while ((available = dependentSequence.Value) < sequence)
        {
            barrier.CheckAlert();
            if (counter > 0)
            {
                counter--;
                Thread.SpinWait(1);
            }
            else
            {
                Thread.Yield();
            }
        }
        return available;
    }

    public void SignalAllWhenBlocking()
    {
    }
}
