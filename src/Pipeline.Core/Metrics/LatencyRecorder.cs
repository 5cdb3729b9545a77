using System.Diagnostics;
using Eeg.Shared.Status;
using HdrHistogram;

namespace Eeg.Pipeline.Metrics;

/// <summary>
/// Latency from a sample's DRDY timestamp to "now", recorded by one thread (the sink's or the DSP's)
/// and read by the status thread.
/// </summary>
/// <remarks>
/// HdrHistogram's <see cref="Recorder"/> is wait-free for the writer and allocation-free per value
/// (a fixed array of buckets, 3 significant digits): the hot path pays an index computation and an
/// increment. The reader swaps interval histograms, so a snapshot never stops the writer. Values are
/// kept in nanoseconds up to 10 s.
/// </remarks>
public sealed class LatencyRecorder
{
    private static readonly double NanosPerTick = 1e9 / Stopwatch.Frequency;
    private const long HighestTrackableNanos = 10_000_000_000L;

    private readonly Recorder _recorder;
    private readonly LongHistogram _total;
    private HistogramBase? _interval;
    private readonly Lock _readLock = new();

    public LatencyRecorder()
    {
        _recorder = HistogramFactory.With64BitBucketSize()
            .WithValuesFrom(1)
            .WithValuesUpTo(HighestTrackableNanos)
            .WithPrecisionOf(3)
            .WithThreadSafeWrites()
            .WithThreadSafeReads()
            .Create();
        _total = new LongHistogram(HighestTrackableNanos, 3);
    }

    /// <summary>Records the time elapsed since <paramref name="drdyTicks"/> (a Stopwatch timestamp).</summary>
    public void RecordSince(long drdyTicks)
    {
        long nanos = (long)((Stopwatch.GetTimestamp() - drdyTicks) * NanosPerTick);
        RecordNanos(nanos);
    }

    /// <summary>Records one latency value in nanoseconds (clamped into the trackable range).</summary>
    public void RecordNanos(long nanos)
    {
        if (nanos < 1) nanos = 1;
        if (nanos > HighestTrackableNanos) nanos = HighestTrackableNanos;
        _recorder.RecordValue(nanos);
    }

    /// <summary>Percentiles over everything recorded so far, in microseconds.</summary>
    public LatencySnapshot Snapshot()
    {
        lock (_readLock)
        {
            _interval = _recorder.GetIntervalHistogram(_interval);
            _total.Add(_interval);
            return ToSnapshot(_total);
        }
    }

    /// <summary>Clears what was recorded (e.g. after warm-up).</summary>
    public void Reset()
    {
        lock (_readLock)
        {
            _interval = _recorder.GetIntervalHistogram(_interval);
            _total.Reset();
        }
    }

    internal static LatencySnapshot ToSnapshot(HistogramBase histogram)
    {
        long count = histogram.TotalCount;
        if (count == 0) return new LatencySnapshot(0, 0, 0, 0, 0);
        return new LatencySnapshot(
            histogram.GetValueAtPercentile(50) / 1000.0,
            histogram.GetValueAtPercentile(99) / 1000.0,
            histogram.GetValueAtPercentile(99.9) / 1000.0,
            histogram.GetMaxValue() / 1000.0,
            count);
    }
}
