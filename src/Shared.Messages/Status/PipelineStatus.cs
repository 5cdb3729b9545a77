namespace Eeg.Shared.Status;

/// <summary>Asks an acquisition node for a <see cref="PipelineStatus"/> snapshot.</summary>
public sealed record GetStatus
{
    public static GetStatus Instance { get; } = new();
    private GetStatus() { }
}

/// <summary>Latency percentiles in microseconds, from the DRDY timestamp to a sink's receipt.</summary>
public sealed record LatencySnapshot(double P50, double P99, double P999, double Max, long Count);

/// <summary>One sink's or stage's counters.</summary>
public sealed record SinkStatus(
    string Name,
    string Policy,
    int Capacity,
    int Depth,
    long Enqueued,
    long Delivered,
    long Dropped,
    double BlockedSeconds,
    long Restarts,
    bool Failed,
    string? FailureReason,
    LatencySnapshot Latency);

/// <summary>A snapshot of the whole pipeline's counters (served as JSON on /status).</summary>
public sealed record PipelineStatus(
    string Source,
    int Channels,
    int SampleRate,
    long Samples,
    long Frames,
    long Overruns,
    long CorruptFrames,
    double UptimeSeconds,
    LatencySnapshot Latency,
    IReadOnlyDictionary<string, SinkStatus> Sinks)
{
    /// <summary>
    /// Electrode impedance in kOhm per channel while the amplifier's impedance check runs (ADS1299 AC
    /// lead-off excitation); null when the source has no such check, it is off, or not measured yet.
    /// </summary>
    public IReadOnlyList<double>? ImpedanceKOhm { get; init; }
}
