using Eeg.Pipeline.Metrics;

namespace Eeg.Acquisition.Pipeline;

/// <summary>
/// The acquisition side's counts. Each field has one writer (the reader thread, or the DSP thread
/// for <see cref="FanOutLatency"/>); Interlocked keeps 64-bit reads whole on 32-bit ARM too and costs
/// a few ns per sample.
/// </summary>
public sealed class AcquisitionCounters
{
    private long _samples;
    private long _frames;
    private long _overruns;
    private long _corrupt;
    private long _triggersDropped;
    private long _gapSamplesFromSource;

    /// <summary>Samples read from the source (published or not).</summary>
    public long Samples => Interlocked.Read(ref _samples);
    /// <summary>Frames published into the ring.</summary>
    public long Frames => Interlocked.Read(ref _frames);
    /// <summary>Samples dropped by the reader because no slab or no ring slot was free.</summary>
    public long Overruns => Interlocked.Read(ref _overruns);
    /// <summary>Samples whose status word was corrupt.</summary>
    public long CorruptSamples => Interlocked.Read(ref _corrupt);
    /// <summary>Triggers that did not fit in their frame.</summary>
    public long TriggersDropped => Interlocked.Read(ref _triggersDropped);
    /// <summary>Samples the source itself reported missing (index jumps, e.g. a replayed file's gaps).</summary>
    public long SourceGapSamples => Interlocked.Read(ref _gapSamplesFromSource);

    private long _readerAllocated;
    private long _dspAllocated;

    /// <summary>
    /// Bytes the reader thread has allocated since it started, sampled every
    /// <see cref="AllocationSampleInterval"/> samples (GC.GetAllocatedBytesForCurrentThread is a
    /// thread-local read, a few ns). Must stay flat in steady state: the zero-allocation invariant,
    /// watched live and by the latency harness.
    /// </summary>
    public long ReaderAllocatedBytes => Interlocked.Read(ref _readerAllocated);
    /// <summary>Bytes the DSP/fan-out thread has allocated, sampled the same way.</summary>
    public long DspAllocatedBytes => Interlocked.Read(ref _dspAllocated);
    /// <summary>How often (in samples or frames) the hot threads sample their allocated bytes.</summary>
    public const int AllocationSampleInterval = 256;

    internal void SampleReaderAllocation() => Interlocked.Exchange(ref _readerAllocated, GC.GetAllocatedBytesForCurrentThread());
    internal void SampleDspAllocation() => Interlocked.Exchange(ref _dspAllocated, GC.GetAllocatedBytesForCurrentThread());

    /// <summary>Latency from the DRDY of a frame's last sample to the moment the DSP hands it to the sinks.</summary>
    public LatencyRecorder FanOutLatency { get; } = new();

    internal void CountSample() => Interlocked.Increment(ref _samples);
    internal void CountFrame() => Interlocked.Increment(ref _frames);
    internal void CountOverruns(long samples) => Interlocked.Add(ref _overruns, samples);
    internal void CountCorrupt() => Interlocked.Increment(ref _corrupt);
    internal void CountTriggerDropped() => Interlocked.Increment(ref _triggersDropped);
    internal void CountSourceGap(long samples) => Interlocked.Add(ref _gapSamplesFromSource, samples);
}
