namespace Eeg.Pipeline.Remote;

/// <summary>How a consumer node takes one remote sink's frames and feeds its own local sinks.</summary>
public sealed record RemoteConsumerOptions
{
    /// <summary>The remote sink's name on the acquisition node.</summary>
    public required string SinkName { get; init; }

    /// <summary>True for a lossless sink: batches are delivered strictly in sequence, a gap in the sequence asks for a resend.</summary>
    public bool Lossless { get; init; }

    /// <summary>Batches this consumer lets be in flight (its credit). 8 x 10 ms batches: 80 ms of stream on the wire at most.</summary>
    public int Window { get; init; } = 8;

    /// <summary>Subscribes again when nothing arrived for this long (the producer's node restarted, a message was lost).</summary>
    public TimeSpan ResubscribeAfter { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Slabs of the consumer's own pool; 0 sizes it so that the local sinks can never starve it: the
    /// sum over local sinks of (their queue capacity + 1), plus the frames of one batch.
    /// </summary>
    public int PoolSlabs { get; init; }
}
