using Eeg.Pipeline.Configuration;
using Eeg.Pipeline.Slabs;

namespace Eeg.Acquisition.Dsp;

/// <summary>
/// Owns the current <see cref="DspChain"/> of the DSP consumer and lets the filters change at run time
/// without a gap: any thread calls <see cref="RequestUpdate"/>, which designs the new chain there (off the
/// hot path; that allocates) and publishes it with one <see cref="Interlocked.Exchange{T}(ref T, T)"/>;
/// the DSP thread adopts it at the start of its next <see cref="Process"/>. Every frame is filtered by
/// exactly one chain, the old one up to the switch and the new one from the switch on.
/// </summary>
/// <remarks>
/// Why no lock: the DSP thread must never wait for a settings change (a control request can arrive from
/// the gateway at any time), and a lock shared with the requester could make it wait behind a design that
/// allocates. The hand-over slot is one reference: the requester exchanges its chain in, the DSP thread
/// checks the slot with a plain volatile read per frame (one load, no interlocked instruction in the
/// steady state) and exchanges it out only when it is non-null. Two requests before the DSP thread looks
/// leave only the newest (the older one was never used, so nothing is lost). Adopting allocates nothing.
/// The steady-state cost is that one volatile load per frame (a plain load on x64, ldar on ARM64), not
/// measurable next to the ~0.2 us cascade; DspBenchmarks.StageSteadyState will show it against a bare
/// DspChain.Process.
/// </remarks>
public sealed class DspStage
{
    private readonly int _channels;
    private readonly int _sampleRate;
    private readonly double _microvoltsPerCount;
    private DspChain _current;
    private DspChain? _pending;
    private long _updatesApplied;

    /// <exception cref="ConfigException">A filter setting is out of range.</exception>
    public DspStage(DspSettings settings, int channels, int sampleRate, double microvoltsPerCount)
    {
        _channels = channels;
        _sampleRate = sampleRate;
        _microvoltsPerCount = microvoltsPerCount;
        _current = new DspChain(settings, channels, sampleRate, microvoltsPerCount);
    }

    /// <summary>The chain filtering now (any thread may read it for status; only the DSP thread uses it).</summary>
    public DspChain Current => Volatile.Read(ref _current);

    /// <summary>How many requested chains the DSP thread has adopted.</summary>
    public long UpdatesApplied => Interlocked.Read(ref _updatesApplied);

    /// <summary>
    /// Designs a chain for <paramref name="settings"/> on the calling thread and queues it for the DSP
    /// thread. Returns the new chain (its <see cref="DspChain.Describe"/> goes into the next StreamDescription).
    /// </summary>
    /// <exception cref="ConfigException">A value is out of range; the running chain is left untouched.</exception>
    public DspChain RequestUpdate(DspSettings settings)
    {
        var chain = new DspChain(settings, _channels, _sampleRate, _microvoltsPerCount);
        Interlocked.Exchange(ref _pending, chain);
        return chain;
    }

    /// <summary>
    /// Counts to microvolts and filters the slab in place (DSP thread only). Returns true when this frame
    /// is the first one filtered by a newly requested chain, so the owner can announce the new filters.
    /// </summary>
    /// <remarks>
    /// The adopted chain is primed with the steady state of the frame's first sample
    /// (<see cref="DspChain.PrimeSteadyState"/>) rather than started from zero: from zero, a high-pass on an
    /// electrode offset of tens of millivolts would replay the start-up step on every settings change.
    /// </remarks>
    public bool Process(Slab slab)
    {
        if (Volatile.Read(ref _pending) is null)
        {
            _current.Process(slab);
            return false;
        }

        DspChain next = Interlocked.Exchange(ref _pending, null)!;
        Volatile.Write(ref _current, next);
        Interlocked.Increment(ref _updatesApplied);
        next.ConvertCounts(slab);
        next.PrimeSteadyState(slab.MicrovoltSpan);
        next.ProcessMicrovolts(slab.MicrovoltSpan, slab.SampleCount);
        return true;
    }

    /// <summary>Zero state for the current chain (a new stream starts, as sosfilt from zero state). DSP thread only.</summary>
    public void Reset() => _current.Reset();
}
