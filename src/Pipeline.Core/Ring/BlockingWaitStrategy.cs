namespace Eeg.Pipeline.Ring;

/// <summary>
/// Parks a waiting consumer on a monitor until the producer publishes (or an upstream consumer
/// advances, or the barrier is alerted). Uses no CPU while idle, which is why it is the default on the
/// Pi; costs a thread wake-up per batch when the consumer had gone to sleep (~35-45 us median on the
/// 2-core machines, see ARCHITECTURE.md), and nothing extra when it had not.
/// </summary>
/// <remarks>
/// Publishing must stay cheap for the reader thread, so the producer only takes the lock when a
/// consumer actually sleeps: sleepers register in <see cref="_waiters"/> before their last check of the
/// sequence, and <see cref="SignalAllWhenBlocking"/> reads that count after a full fence. This is a
/// Dekker pattern (each side stores one variable, then loads the other), which needs a StoreLoad
/// fence on BOTH sides, on x86 as on arm64: without the producer's fence its load of the count could be
/// satisfied before its cursor store left the store buffer, while the consumer, whose increment is an
/// interlocked (fenced) operation, reads the old cursor. Both would then miss each other and the
/// consumer would sleep on a published event. With both fences, at least one of them sees the other.
/// Cost of the producer's fence: one mfence/lock-prefixed op (x86) or dmb ish (arm64) per publish,
/// ~5-20 ns; RingBenchmarks (bench/) shows publish cost per strategy.
/// There is no timed wait anywhere: a missed wake-up would be a bug, not a latency.
/// </remarks>
public sealed class BlockingWaitStrategy : IWaitStrategy
{
    /// <summary>
    /// How long a consumer that has caught up spins on the sequence before it parks: 5 us.
    /// </summary>
    /// <remarks>
    /// Performance: avoids a monitor park and wake-up (tens of microseconds on these machines, a
    /// futex round trip each) when the next event comes within a few microseconds, as in bursts: the
    /// reader's 400-sample frames, the free-running throughput mode, the ring micro-benchmark. Costs
    /// up to 5 us of one core each time a consumer catches up; at 4000 frames/s that is at most 2 %
    /// of a core, and it does not change the latency of a frame that comes 250 us later (that one
    /// still finds the consumer parked). Measured in RingBenchmarks (one run, quiet machine,
    /// docs/perf.md "ring against the runtime's queues"): 16.9 ns per event with the spin against
    /// 115.3 ns parking at once (BlockingNoSpin/1), 6.8x; three consumers 172 vs 433 ns, 2.5x; the
    /// free-running throughput with 1-sample frames is 903x real time. Pipeline.Latency at 4000
    /// frames/s shows no change in p50/p99 (36-37 us). Zero gives the old behaviour.
    /// </remarks>
    public static readonly TimeSpan DefaultSpinBeforePark = TimeSpan.FromMicroseconds(5);

    private readonly object _gate = new();
    private readonly long _spinTicks;

    // Consumers inside the monitor wait loop (about to sleep or sleeping), whatever they wait for.
    private int _waiters;

    // The subset that wait for an upstream consumer rather than for the producer: only they need a
    // signal when a consumer advances, so an independent consumer's progress costs no lock.
    private int _consumerWaiters;

    // Times a consumer went to sleep (diagnostics and tests); written under the lock.
    private long _parks;

    /// <summary>Consumers currently parked or about to park (diagnostics and tests).</summary>
    public int Waiters => Volatile.Read(ref _waiters);

    /// <summary>How many times a consumer has gone to sleep on this strategy since it was created.</summary>
    public long Parks => Volatile.Read(ref _parks);

    public BlockingWaitStrategy() : this(DefaultSpinBeforePark) { }

    /// <param name="spinBeforePark">How long a caught-up consumer spins before it parks (zero: park at once).</param>
    public BlockingWaitStrategy(TimeSpan spinBeforePark)
    {
        if (spinBeforePark < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(spinBeforePark));
        _spinTicks = (long)(spinBeforePark.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
    }

    public long WaitFor(long sequence, Sequence cursor, Sequence dependentSequence, SequenceBarrier barrier)
    {
        // Fast path without the lock: the event is usually there already when the consumer comes back.
        long available = dependentSequence.Value;
        if (available >= sequence)
        {
            return available;
        }
        if (_spinTicks > 0 && SpinFor(sequence, dependentSequence, barrier, out available))
        {
            return available;
        }

        lock (_gate)
        {
            // Interlocked = full fence: the registration is visible before the re-checks below read
            // the cursor (the consumer's half of the Dekker pair described above).
            Interlocked.Increment(ref _waiters);
            bool waitingForConsumer = false;
            try
            {
                while (true)
                {
                    barrier.CheckAlert();
                    if (cursor.Value >= sequence)
                    {
                        available = dependentSequence.Value;
                        if (available >= sequence)
                        {
                            return available;
                        }
                        if (!waitingForConsumer)
                        {
                            // Register as waiting for a consumer, then check again before sleeping,
                            // for the same store-then-load reason as above.
                            Interlocked.Increment(ref _consumerWaiters);
                            waitingForConsumer = true;
                            continue;
                        }
                    }
                    // Releases the lock while parked; a PulseAll can only run once we are parked or
                    // before we re-took the lock, so no signal is lost between the check and the wait.
                    _parks++;
                    Monitor.Wait(_gate);
                }
            }
            finally
            {
                if (waitingForConsumer)
                {
                    Interlocked.Decrement(ref _consumerWaiters);
                }
                Interlocked.Decrement(ref _waiters);
            }
        }
    }

    // The spin phase (see DefaultSpinBeforePark). Reads the clock every 8 spins only: a clock read
    // costs ~25 ns, a Thread.SpinWait(4) pause a similar amount.
    private bool SpinFor(long sequence, Sequence dependentSequence, SequenceBarrier barrier, out long available)
    {
        long deadline = System.Diagnostics.Stopwatch.GetTimestamp() + _spinTicks;
        for (int i = 1; ; i++)
        {
            Thread.SpinWait(4);
            available = dependentSequence.Value;
            if (available >= sequence) return true;
            if ((i & 7) == 0)
            {
                barrier.CheckAlert();
                if (System.Diagnostics.Stopwatch.GetTimestamp() >= deadline) return false;
            }
        }
    }

    public void SignalAllWhenBlocking()
    {
        // The producer's half of the Dekker pair: its cursor store (or the alert flag) must be visible
        // before it reads the waiter count, or a consumer registering right now could be missed.
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref _waiters) != 0)
        {
            lock (_gate)
            {
                Monitor.PulseAll(_gate);
            }
        }
    }

    public void SignalConsumerProgress()
    {
        // Same pairing as SignalAllWhenBlocking, for the consumer sequence just stored.
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref _consumerWaiters) != 0)
        {
            lock (_gate)
            {
                Monitor.PulseAll(_gate);
            }
        }
    }
}
