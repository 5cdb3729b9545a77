namespace Eeg.Pipeline.Ring;

/// <summary>
/// What a consumer waits on: the ring's cursor, and the sequences of the consumers it must stay behind
/// (a dependency chain: a sink that must see the DSP stage's output waits for the DSP consumer).
/// Created by <see cref="RingBuffer{T}.NewBarrier"/>.
/// </summary>
public sealed class SequenceBarrier
{
    private readonly IWaitStrategy _waitStrategy;
    private readonly Sequence _cursor;
    private readonly Sequence[] _dependents;

    // Written by the halting thread, read by the consumer in every wait loop iteration. Volatile: the
    // store is a release (what the halting thread wrote before it, the processor's Halted state, is
    // visible to a consumer that sees the alert) and each load an acquire that the JIT cannot hoist
    // out of the wait loop. Where a store of it must be ordered before a later load of another field
    // (Alert before the waiter count, ClearAlert before the processor's state), the caller adds the
    // full fence: volatile alone does not order a store before a later load.
    private volatile bool _alerted;

    internal SequenceBarrier(IWaitStrategy waitStrategy, Sequence cursor, Sequence[] dependents)
    {
        _waitStrategy = waitStrategy;
        _cursor = cursor;
        // A private copy: the caller's array could change after the barrier was made.
        _dependents = (Sequence[])dependents.Clone();
    }

    internal IWaitStrategy WaitStrategy => _waitStrategy;

    /// <summary>
    /// Waits until <paramref name="sequence"/> is available to this consumer and returns the highest
    /// available sequence (at least <paramref name="sequence"/>): the consumer handles everything up to
    /// it as one batch. Throws <see cref="AlertException"/> when the barrier is alerted.
    /// </summary>
    public long WaitFor(long sequence)
    {
        CheckAlert();
        Sequence[] dependents = _dependents;
        if (dependents.Length == 0)
        {
            return _waitStrategy.WaitFor(sequence, _cursor, _cursor, this);
        }

        // Each upstream consumer in turn: once each has been seen at or past `sequence`, the smallest
        // value seen is available (sequences never go back), without a combined "min" sequence object.
        long available = long.MaxValue;
        for (int i = 0; i < dependents.Length; i++)
        {
            available = Math.Min(available, _waitStrategy.WaitFor(sequence, _cursor, dependents[i], this));
        }
        return available;
    }

    /// <summary>The highest sequence this barrier's consumer may read right now.</summary>
    public long Cursor
    {
        get
        {
            Sequence[] dependents = _dependents;
            if (dependents.Length == 0)
            {
                return _cursor.Value;
            }
            long minimum = long.MaxValue;
            for (int i = 0; i < dependents.Length; i++)
            {
                minimum = Math.Min(minimum, dependents[i].Value);
            }
            return minimum;
        }
    }

    /// <summary>True after <see cref="Alert"/> until <see cref="ClearAlert"/>.</summary>
    public bool IsAlerted => _alerted;

    /// <summary>Makes every current and future <see cref="WaitFor"/> throw <see cref="AlertException"/>, waking a parked consumer.</summary>
    public void Alert()
    {
        _alerted = true;
        // The blocking strategy's signal fences before it reads its waiter count, so a consumer that
        // checks the flag and then parks cannot miss this alert (see BlockingWaitStrategy).
        _waitStrategy.SignalAllWhenBlocking();
    }

    /// <summary>Lets <see cref="WaitFor"/> wait again (a processor clears it when it starts).</summary>
    public void ClearAlert() => _alerted = false;

    /// <summary>Throws <see cref="AlertException"/> when alerted; called by wait strategies in their loops.</summary>
    public void CheckAlert()
    {
        if (_alerted)
        {
            throw AlertException.Instance;
        }
    }
}
