using Eeg.Pipeline.Configuration;

namespace Eeg.Pipeline.Remote;

/// <summary>
/// How the acquisition node feeds one remote sink (a sink whose consumer runs on another node):
/// batching, the loss policy when the consumer gives no credit, and, for a lossless sink, how much it
/// keeps for a consumer that is away.
/// </summary>
public sealed record RemoteSinkOptions
{
    /// <summary>The sink's name; the consumer subscribes with it.</summary>
    public required string Name { get; init; }

    /// <summary>
    /// Lossless: every batch is kept until the consumer acknowledges it (memory, then spool file) and
    /// resent when it returns. Drop-oldest / drop-newest: batches wait for credit in a queue of
    /// <see cref="PendingBatches"/> and are dropped (counted) past it. Decimate is treated as drop-oldest.
    /// </summary>
    public SinkPolicy Policy { get; init; } = SinkPolicy.DropOldest;

    /// <summary>A batch leaves at least this often (when it holds any frame).</summary>
    public TimeSpan BatchInterval { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Samples per batch at most; 0: the samples of one batch interval (at least one frame).</summary>
    public int MaxBatchSamples { get; init; }

    /// <summary>Lossy sinks: sealed batches waiting for credit, at most.</summary>
    public int PendingBatches { get; init; } = 4;

    /// <summary>Lossless sinks: unacknowledged batches kept in memory before the spool file takes the newer ones.</summary>
    public int MemoryBatches { get; init; } = 600;

    /// <summary>Lossless sinks: folder of the spool file.</summary>
    public string SpoolDirectory { get; init; } = "spool";

    /// <summary>Lossless sinks: the spool holds this much of the stream at most (its size is computed from the stream).</summary>
    public TimeSpan SpoolDuration { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Most batches in flight whatever window the consumer asks for.</summary>
    public int MaxWindow { get; init; } = 64;

    public bool Lossless => Policy == SinkPolicy.Lossless;
}
