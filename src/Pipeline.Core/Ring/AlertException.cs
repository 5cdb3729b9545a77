namespace Eeg.Pipeline.Ring;

/// <summary>
/// Thrown out of <see cref="SequenceBarrier.WaitFor"/> when the barrier is alerted, so that a consumer
/// blocked in any wait strategy leaves its loop (halt, shutdown).
/// </summary>
/// <remarks>
/// Preallocated (<see cref="Instance"/>): an alert never allocates an exception object. The runtime
/// still records a stack trace on each throw; that happens once per shutdown, never per event.
/// </remarks>
public sealed class AlertException : Exception
{
    /// <summary>The one instance; throw this one.</summary>
    public static readonly AlertException Instance = new();

    private AlertException()
        : base("The sequence barrier was alerted (the consumer is being halted).")
    {
    }
}
