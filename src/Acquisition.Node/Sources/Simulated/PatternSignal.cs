namespace Eeg.Acquisition.Sources.Simulated;

/// <summary>
/// The test pattern: channel c at sample index i is exactly ((i + 1000*c) mod 2^24) - 2^23 counts.
/// Every value is known from its index and channel, so any copy, transfer or recording downstream
/// can be checked sample by sample (verify --pattern does).
/// </summary>
public static class PatternSignal
{
    /// <summary>The raw count of channel <paramref name="channel"/> at <paramref name="sampleIndex"/>.</summary>
    public static int CountAt(long sampleIndex, int channel) =>
        (int)((sampleIndex + 1000L * channel) & 0xFF_FFFF) - (1 << 23);

    /// <summary>Fills one sample of every channel.</summary>
    public static void Fill(long sampleIndex, Span<int> counts)
    {
        for (int c = 0; c < counts.Length; c++) counts[c] = CountAt(sampleIndex, c);
    }
}
