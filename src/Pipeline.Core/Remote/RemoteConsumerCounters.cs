namespace Eeg.Pipeline.Remote;

/// <summary>The receiving side of one remote sink, for status and tests.</summary>
public sealed class RemoteConsumerCounters(string sinkName)
{
    private long _batches, _frames, _duplicates, _outOfOrder, _gapSamples, _poolDry, _subscriptions;

    public string SinkName { get; } = sinkName;
    public long Batches => Volatile.Read(ref _batches);
    public long Frames => Volatile.Read(ref _frames);
    /// <summary>Batches received twice (after a resend) and ignored.</summary>
    public long Duplicates => Volatile.Read(ref _duplicates);
    /// <summary>Batches that skipped a sequence (a lost message): ignored, a resend asked for.</summary>
    public long OutOfOrder => Volatile.Read(ref _outOfOrder);
    /// <summary>Samples missing between frames delivered to the local sinks (each one annotated as a gap).</summary>
    public long GapSamples => Volatile.Read(ref _gapSamples);
    /// <summary>Frames lost because the consumer's slab pool was empty (a sizing bug: counted and annotated).</summary>
    public long PoolDry => Volatile.Read(ref _poolDry);
    public long Subscriptions => Volatile.Read(ref _subscriptions);
    /// <summary>The producer's address while connected.</summary>
    public string? Producer { get; set; }

    public void CountBatch(int frames)
    {
        Interlocked.Increment(ref _batches);
        Interlocked.Add(ref _frames, frames);
    }

    public void CountDuplicate() => Interlocked.Increment(ref _duplicates);
    public void CountOutOfOrder() => Interlocked.Increment(ref _outOfOrder);
    public void CountGap(long samples) => Interlocked.Add(ref _gapSamples, samples);
    public void CountPoolDry() => Interlocked.Increment(ref _poolDry);
    public void CountSubscription() => Interlocked.Increment(ref _subscriptions);
}
