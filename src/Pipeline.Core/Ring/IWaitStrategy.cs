namespace Eeg.Pipeline.Ring;

/// <summary>
/// How a consumer waits for a sequence to become available: spin (lowest latency, burns a core),
/// yield, or park on a lock (default on the Pi, where the cores also run TLS and the web server).
/// Chosen by <c>pipeline.wait-strategy</c>; see <see cref="WaitStrategies.Create"/>.
/// </summary>
public interface IWaitStrategy
{
    /// <summary>
    /// Waits until <paramref name="cursor"/> and <paramref name="dependentSequence"/> have both reached
    /// <paramref name="sequence"/> and returns the dependent's value (which may be higher: the consumer
    /// then handles the whole batch). <paramref name="dependentSequence"/> is the cursor itself when the
    /// consumer follows the producer only, or one upstream consumer's sequence; a barrier with several
    /// upstream consumers calls this once per upstream sequence and takes the minimum (sequences only
    /// grow, so the minimum of values each seen at or above <paramref name="sequence"/> is available).
    /// Throws <see cref="AlertException"/> when <paramref name="barrier"/> is alerted.
    /// </summary>
    long WaitFor(long sequence, Sequence cursor, Sequence dependentSequence, SequenceBarrier barrier);

    /// <summary>
    /// Called by the producer after each publish and by <see cref="SequenceBarrier.Alert"/>: wakes
    /// consumers parked by a blocking strategy. A no-op for spinning strategies.
    /// </summary>
    void SignalAllWhenBlocking();

    /// <summary>
    /// Called by a consumer after it advanced its own sequence, so that a consumer parked waiting for
    /// it (a dependency chain) wakes. A no-op for spinning strategies; for the blocking strategy it
    /// costs one fence and one read when nobody waits on a consumer.
    /// </summary>
    void SignalConsumerProgress() { }
}
