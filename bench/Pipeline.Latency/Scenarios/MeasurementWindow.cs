using Eeg.Acquisition.Pipeline;

namespace Eeg.Bench.Latency.Scenarios;

/// <summary>GC and allocation counters between the end of warm-up and the end of a run.</summary>
public sealed class MeasurementWindow
{
    private int _gen0, _gen1, _gen2;
    private long _processBytes;
    private long _hotBytes;
    private long _frames;
    private long _overruns;

    public sealed record End(long Frames, long Overruns, int Gen0, int Gen1, int Gen2, double ProcessBytesPerFrame, double HotPathBytesPerFrame);

    /// <summary>Starts a window; <paramref name="counters"/> may be null for the baselines (no hot-path split).</summary>
    public static MeasurementWindow Begin(AcquisitionCounters? counters, long framesAtSink) => new()
    {
        _gen0 = GC.CollectionCount(0),
        _gen1 = GC.CollectionCount(1),
        _gen2 = GC.CollectionCount(2),
        _processBytes = GC.GetTotalAllocatedBytes(precise: true),
        _hotBytes = counters is null ? 0 : counters.ReaderAllocatedBytes + counters.DspAllocatedBytes,
        _frames = framesAtSink,
        _overruns = counters?.Overruns ?? 0,
    };

    public End Finish(AcquisitionCounters? counters, long framesAtSink)
    {
        long frames = Math.Max(1, framesAtSink - _frames);
        long processBytes = GC.GetTotalAllocatedBytes(precise: true) - _processBytes;
        long hotBytes = counters is null ? processBytes : counters.ReaderAllocatedBytes + counters.DspAllocatedBytes - _hotBytes;
        return new End(
            frames,
            (counters?.Overruns ?? 0) - _overruns,
            GC.CollectionCount(0) - _gen0,
            GC.CollectionCount(1) - _gen1,
            GC.CollectionCount(2) - _gen2,
            processBytes / (double)frames,
            hotBytes / (double)frames);
    }
}
