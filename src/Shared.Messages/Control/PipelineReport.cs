using Eeg.Shared.Status;

namespace Eeg.Shared.Control;

/// <summary>Asks the acquisition actor for a <see cref="PipelineReport"/>.</summary>
public sealed record GetPipelineReport
{
    public static GetPipelineReport Instance { get; } = new();
    private GetPipelineReport() { }
}

/// <summary>The acquisition pipeline's counters, impedance check and filters in effect.</summary>
public sealed record PipelineReport
{
    public required string Source { get; init; }
    public int Channels { get; init; }
    public int SampleRate { get; init; }
    public long Samples { get; init; }
    public long Frames { get; init; }
    public long Overruns { get; init; }
    public long CorruptFrames { get; init; }
    /// <summary>From the DRDY of a frame to the fan-out.</summary>
    public LatencySnapshot LatencyMicros { get; init; } = new(0, 0, 0, 0, 0);
    public bool ImpedanceCheck { get; init; }
    public required FilterReport Filters { get; init; }
}

/// <summary>
/// The DSP filters in effect (names as in reference.conf's pipeline.dsp block); 0 for a filter that
/// is off (also when the whole DSP is off).
/// </summary>
public sealed record FilterReport(double HighpassHz, double LowpassHz, double NotchHz)
{
    /// <summary>The filters in words, e.g. "HP 0.5 Hz (Butterworth 2), notch 50 Hz (Q 30), LP 100 Hz (Butterworth 4)".</summary>
    public string Description { get; init; } = "";
}
