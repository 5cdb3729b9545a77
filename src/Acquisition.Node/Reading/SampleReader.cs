using Eeg.Acquisition.Pipeline;
using Eeg.Acquisition.Sources;
using Eeg.Pipeline.Ring;
using Eeg.Pipeline.Slabs;
using Eeg.Shared.Frames;

namespace Eeg.Acquisition.Reading;

/// <summary>
/// The reader loop: wait for a sample (DRDY), read it straight into the current frame's slab,
/// publish the frame into the ring when it is full. It never blocks on anything downstream and never
/// allocates: when no slab or no ring slot is free it drops the sample, counts an overrun, and the
/// next published frame carries the gap (its first index jumps and its Gap flag is set).
/// </summary>
public sealed class SampleReader
{
    private readonly ISampleSource _source;
    private readonly SlabPool _pool;
    private readonly RingBuffer<RingSlot> _ring;
    private readonly AcquisitionCounters _counters;
    private readonly int _frameSamples;
    private readonly int _channels;
    private readonly Func<long, long> _ticksToUnixNs;
    private Slab? _current;
    private long _expectedIndex;
    private long _pendingGap;
    private long _readCount;
    private volatile bool _stopRequested;

    public SampleReader(ISampleSource source, SlabPool pool, RingBuffer<RingSlot> ring, AcquisitionCounters counters, int frameSamples, Func<long, long> ticksToUnixNs)
    {
        _source = source;
        _pool = pool;
        _ring = ring;
        _counters = counters;
        _frameSamples = frameSamples;
        _channels = source.Channels;
        _ticksToUnixNs = ticksToUnixNs;
    }

    /// <summary>Ends the waits of a source that can wait (<see cref="ISampleSource.IsRealTime"/> false).</summary>
    public void RequestStop() => _stopRequested = true;

    /// <summary>Runs until the source ends or is stopped; publishes a last partial frame, if any.</summary>
    public void Run()
    {
        while (_source.WaitForSample(out long drdyTicks))
        {
            ReadOne(drdyTicks);
        }
        if (_current is not null && _current.SampleCount > 0) Publish();
        else if (_current is not null)
        {
            _current.Release();
            _current = null;
        }
    }

    /// <summary>Reads one due sample into the current frame (exposed for tests that drive it step by step).</summary>
    public void ReadOne(long drdyTicks)
    {
        if ((++_readCount & (AcquisitionCounters.AllocationSampleInterval - 1)) == 0) _counters.SampleReaderAllocation();
        _counters.CountSample();
        if (_current is null && !_pool.TryRent(out _current) && !WaitForSlab())
        {
            // No free slab: every slab is in the ring or held by sinks. Read the sample anyway (the
            // device expects it read, and the source's index must advance), then drop it.
            Span<int> discard = stackalloc int[_channels];
            _source.ReadSample(discard, out SampleInfo lost);
            NoteIndex(lost.Index);
            _pendingGap++;
            _counters.CountOverruns(1);
            return;
        }

        Slab slab = _current!;
        int s = slab.SampleCount;
        _source.ReadSample(slab.Counts.AsSpan(s * _channels, _channels), out SampleInfo info);
        NoteIndex(info.Index);
        if (s == 0)
        {
            slab.FirstSampleIndex = info.Index;
            slab.FirstSampleUnixNs = _ticksToUnixNs(drdyTicks);
            if (_pendingGap > 0)
            {
                slab.Flags |= FrameFlags.Gap;
                slab.GapSamples = _pendingGap;
                _pendingGap = 0;
            }
        }
        else if (info.Index != slab.FirstSampleIndex + s)
        {
            // The source skipped samples inside a frame (a replayed file's gap): close this frame
            // and start the sample in a new one, so that a frame is always contiguous.
            SampleInfo held = info;
            Span<int> counts = stackalloc int[_channels];
            slab.Counts.AsSpan(s * _channels, _channels).CopyTo(counts);
            Publish();
            if (!_pool.TryRent(out _current) && !WaitForSlab())
            {
                _pendingGap++;
                _counters.CountOverruns(1);
                return;
            }
            slab = _current;
            s = 0;
            counts.CopyTo(slab.Counts.AsSpan(0, _channels));
            info = held;
            slab.FirstSampleIndex = info.Index;
            slab.FirstSampleUnixNs = _ticksToUnixNs(drdyTicks);
            if (_pendingGap > 0)
            {
                slab.Flags |= FrameFlags.Gap;
                slab.GapSamples = _pendingGap;
                _pendingGap = 0;
            }
        }

        slab.DrdyTicks[s] = drdyTicks;
        if (info.Corrupt)
        {
            slab.Flags |= FrameFlags.Corrupt;
            _counters.CountCorrupt();
        }
        if ((info.LeadOffPositive | info.LeadOffNegative) != 0)
        {
            slab.Flags |= FrameFlags.LeadOff;
            slab.LeadOffPositive |= info.LeadOffPositive;
            slab.LeadOffNegative |= info.LeadOffNegative;
        }
        if (info.TriggerCode != 0 && !slab.TryAddTrigger(new TriggerEvent(info.Index, info.TriggerCode, info.TriggerSource)))
        {
            _counters.CountTriggerDropped();
        }
        slab.SampleCount = s + 1;
        if (slab.SampleCount == _frameSamples) Publish();
    }

    private void NoteIndex(long index)
    {
        // A source that jumps ahead (replay of a file with a gap) reports the jump; the reader
        // adds it to the gap the next frame carries.
        if (index > _expectedIndex)
        {
            long jump = index - _expectedIndex;
            _pendingGap += jump;
            _counters.CountSourceGap(jump);
        }
        _expectedIndex = index + 1;
    }

    /// <summary>
    /// A source that can wait (a file replayed as fast as possible) waits for a slab instead of
    /// dropping the sample. Spins and yields (SpinWait, never a fixed sleep) until one is free.
    /// </summary>
    private bool WaitForSlab()
    {
        if (_source.IsRealTime) return false;
        var spin = new SpinWait();
        while (!_stopRequested)
        {
            if (_pool.TryRent(out _current)) return true;
            spin.SpinOnce(sleep1Threshold: -1);
        }
        return false;
    }

    private bool TryClaim(out long sequence)
    {
        if (_ring.TryNext(out sequence)) return true;
        if (_source.IsRealTime) return false;
        var spin = new SpinWait();
        while (!_stopRequested)
        {
            if (_ring.TryNext(out sequence)) return true;
            spin.SpinOnce(sleep1Threshold: -1);
        }
        return false;
    }

    private void Publish()
    {
        Slab slab = _current!;
        _current = null;
        if (!TryClaim(out long sequence))
        {
            // Ring full: the DSP stage is behind (or a lossless sink is holding the fan-out). The
            // frame's samples are lost; say so in the next frame instead of waiting.
            // The gap this frame was to announce is not lost with it: the next frame carries both.
            _counters.CountOverruns(slab.SampleCount);
            _pendingGap += slab.GapSamples + slab.SampleCount;
            slab.Release();
            return;
        }
        _ring[sequence].Slab = slab;
        _ring.Publish(sequence);
        _counters.CountFrame();
    }
}
