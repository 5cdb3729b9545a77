using System.Diagnostics.CodeAnalysis;
using Eeg.Pipeline.Queues;

namespace Eeg.Pipeline.Slabs;

/// <summary>
/// All the slabs the pipeline will ever use, allocated at start-up. The reader rents one per
/// frame; the last sink to release a slab returns it.
/// </summary>
/// <remarks>
/// Why a pool: the seed's prototype allocated ~200 kB of fresh arrays per packet (2 MB/s of
/// garbage at 4 kSPS), which is what made its GC pauses. Renting and returning is two CAS
/// operations on a lock-free queue and allocates nothing; AllocationTests proves zero bytes per
/// frame and SlabPoolBenchmarks gives the cost (docs/perf.md).
/// Sizing: ring size + the depth of every sink queue + frames in the hands of the DSP and of each
/// sink; when it runs dry anyway (a sink holding slabs) the reader counts an overrun instead of
/// waiting or allocating.
/// </remarks>
public sealed class SlabPool
{
    private readonly BoundedMpmcQueue<Slab> _free;

    public SlabPool(int slabCount, int channels, int samplesPerSlab)
    {
        if (slabCount < 1) throw new ArgumentOutOfRangeException(nameof(slabCount));
        Capacity = slabCount;
        Channels = channels;
        SamplesPerSlab = samplesPerSlab;
        _free = new BoundedMpmcQueue<Slab>(slabCount);
        for (int i = 0; i < slabCount; i++)
        {
            _free.TryEnqueue(new Slab(channels, samplesPerSlab, this));
        }
    }

    /// <summary>Slabs owned by the pool in all.</summary>
    public int Capacity { get; }

    /// <summary>Channels per sample of every slab.</summary>
    public int Channels { get; }

    /// <summary>Samples per slab.</summary>
    public int SamplesPerSlab { get; }

    /// <summary>Slabs free right now.</summary>
    public int Available => _free.Count;

    /// <summary>Takes a free slab, cleared and holding one reference; false when none is free (never waits).</summary>
    public bool TryRent(out Slab slab)
    {
        if (!_free.TryDequeue(out Slab? rented) && !RetryWhileAReturnIsInFlight(out rented))
        {
            slab = null!;
            return false;
        }
        // Plain writes into a slab that another thread (the last sink to release it) was reading a
        // moment ago. Safe on arm64 too: that thread's reads come before its Interlocked decrement
        // (a full fence) and the release store in the free queue's TryEnqueue; our TryDequeue read the
        // cell's sequence with acquire semantics, so these writes cannot move before it.
        rented.ResetHeader();
        rented.SetReferences(1);
        slab = rented;
        return true;
    }

    /// <summary>
    /// The free list is FIFO: a sink thread that was preempted between claiming its slot and
    /// publishing the slab it returns hides every slab returned after it until it runs again, and
    /// the pool looks empty while it is not (seen at load 40 in FramePolicyQueueStressTests). When
    /// the count says returns are in flight, retry a bounded number of times (yielding, never
    /// sleeping) rather than make the reader drop a sample for nothing. A pool that is really dry
    /// (count 0) fails at once.
    /// </summary>
    private bool RetryWhileAReturnIsInFlight([MaybeNullWhen(false)] out Slab rented)
    {
        var spin = new SpinWait();
        for (int i = 0; i < 32 && _free.Count > 0; i++)
        {
            spin.SpinOnce(sleep1Threshold: -1);
            if (_free.TryDequeue(out rented)) return true;
        }
        rented = null;
        return false;
    }

    internal void Return(Slab slab)
    {
        if (!_free.TryEnqueue(slab))
        {
            throw new InvalidOperationException("More slabs returned than the pool owns: a slab was returned twice.");
        }
    }
}
