namespace Eeg.Pipeline.Control;

/// <summary>One clock measurement: offset of the local clock to the reference and the round trip it came from.</summary>
public readonly record struct ClockSample(double OffsetMicros, double RoundTripMicros, long TakenAtTicks);

/// <summary>
/// NTP-style estimate of this node's clock offset to the acquisition node's. A probe leaves at t0
/// (local clock), arrives at t1 and is answered at t2 (reference clock) and returns at t3 (local):
/// <code>
/// offset     = ((t1 - t0) + (t2 - t3)) / 2   reference minus local, negated below
/// round trip = (t3 - t0) - (t2 - t1)          time on the wire, both ways
/// </code>
/// Whatever the path's asymmetry, the true offset lies within half the round trip of the estimate,
/// so the sample with the lowest round trip in a sliding window (the last <c>maxSamples</c> probes,
/// none older than <c>maxAge</c>) is kept: a probe delayed by a busy scheduler or a GC pause loses
/// to a quick one. Reported as this node's clock minus the reference's (positive: this node is ahead).
/// </summary>
/// <remarks>Not thread-safe: the node agent's actor owns it.</remarks>
public sealed class ClockOffsetEstimator(int maxSamples = 32, TimeSpan? maxAge = null)
{
    private readonly Queue<ClockSample> _window = new();
    private readonly long _maxAgeTicks = (maxAge ?? TimeSpan.FromSeconds(60)).Ticks;

    /// <summary>The kept sample (lowest round trip in the window), or null before the first probe came back.</summary>
    public ClockSample? Best { get; private set; }

    /// <summary>Probes taken into account since the last <see cref="Reset"/>.</summary>
    public long Probes { get; private set; }

    /// <summary>The sample of one probe; times in 100 ns ticks.</summary>
    public static ClockSample Measure(long t0, long t1, long t2, long t3)
    {
        double referenceMinusLocal = ((t1 - t0) + (double)(t2 - t3)) / 2;
        double roundTrip = (t3 - t0) - (double)(t2 - t1);
        return new ClockSample(-referenceMinusLocal / 10.0, roundTrip / 10.0, t3);
    }

    /// <summary>Adds one probe's times; a probe with a negative round trip (a clock stepped during it) is ignored.</summary>
    public void Add(long t0, long t1, long t2, long t3)
    {
        ClockSample sample = Measure(t0, t1, t2, t3);
        if (sample.RoundTripMicros < 0) return;
        Probes++;
        _window.Enqueue(sample);
        while (_window.Count > maxSamples || (_window.Count > 0 && t3 - _window.Peek().TakenAtTicks > _maxAgeTicks)) _window.Dequeue();
        ClockSample best = _window.Peek();
        foreach (ClockSample s in _window)
        {
            if (s.RoundTripMicros < best.RoundTripMicros) best = s;
        }
        Best = best;
    }

    /// <summary>Forgets every sample (the reference node changed).</summary>
    public void Reset()
    {
        _window.Clear();
        Best = null;
        Probes = 0;
    }
}
