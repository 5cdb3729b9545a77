namespace Eeg.Shared.Frames;

/// <summary>
/// What a stream is: sent to every sink, stage and browser client when it starts.
/// Immutable; a new one is issued when filters change.
/// </summary>
/// <param name="ChannelNames">One name per channel (10-20 names by default, e.g. "Fp1").</param>
/// <param name="SampleRate">Samples per second per channel.</param>
/// <param name="FrameSamples">Samples per frame (1 = one frame per DRDY).</param>
/// <param name="Gain">Programmable gain of the amplifier (ADS1299: 1, 2, 4, 6, 8, 12 or 24).</param>
/// <param name="ReferenceVolts">Reference voltage, volts (ADS1299 default 4.5).</param>
/// <param name="Units">Unit of the sample values sinks receive ("uV").</param>
/// <param name="Filters">Human-readable description of the online filters, e.g. "HP 0.5 Hz (Butterworth 2), notch 50 Hz (Q 30), LP 100 Hz (Butterworth 4)".</param>
/// <param name="StartUnixNs">Unix time of sample index 0, in nanoseconds.</param>
/// <param name="Source">The source name: simulated, ads1299 or replay.</param>
public sealed record StreamDescription(
    IReadOnlyList<string> ChannelNames,
    int SampleRate,
    int FrameSamples,
    int Gain,
    double ReferenceVolts,
    string Units,
    string Filters,
    long StartUnixNs,
    string Source)
{
    /// <summary>Number of channels.</summary>
    public int ChannelCount => ChannelNames.Count;

    /// <summary>Microvolts per ADC count: 2 * Vref / gain / 2^24, in uV (ADS1299 datasheet, 9.3.1).</summary>
    public double MicrovoltsPerCount => 2.0 * ReferenceVolts / Gain / (1 << 24) * 1e6;

    /// <summary>Default channel labels: 10-20 and 10-10 positions, in the order the lab's caps are wired.</summary>
    public static IReadOnlyList<string> DefaultChannelNames(int count)
    {
        string[] names =
        {
            "Fp1", "Fp2", "F7", "F3", "Fz", "F4", "F8", "FC5",
            "FC1", "FC2", "FC6", "T7", "C3", "Cz", "C4", "T8",
            "CP5", "CP1", "CP2", "CP6", "P7", "P3", "Pz", "P4",
            "P8", "PO9", "O1", "Oz", "O2", "PO10", "AF7", "AF8",
        };
        if (count <= names.Length) return names[..count];
        return Enumerable.Range(0, count).Select(i => i < names.Length ? names[i] : $"Ch{i + 1}").ToArray();
    }
}
