namespace Eeg.Pipeline.Ring;

/// <summary>
/// A ring consumer's logic: one required method; lifecycle hooks are optional (default interface methods).
/// <see cref="BatchEventProcessor{T}"/> calls it on the consumer's own thread.
/// </summary>
public interface IEventHandler<in T>
{
    /// <summary>
    /// Handles one slot. <paramref name="endOfBatch"/> is true on the last slot that was available when
    /// the batch started: the place to flush work accumulated over the batch.
    /// </summary>
    void OnEvent(T data, long sequence, bool endOfBatch);

    /// <summary>Called once on the consumer thread before the first event.</summary>
    void OnStart()
    {
    }

    /// <summary>Called once on the consumer thread after the last event, when the processor halts.</summary>
    void OnShutdown()
    {
    }

    /// <summary>Called before each batch with the number of slots it holds (at least 1).</summary>
    void OnBatchStart(long batchSize)
    {
    }
}
