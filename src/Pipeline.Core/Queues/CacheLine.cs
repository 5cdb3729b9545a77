namespace Eeg.Pipeline.Queues;

/// <summary>Cache-line geometry used to pad counters that different threads write.</summary>
public static class CacheLine
{
    /// <summary>
    /// Bytes of padding on each side of a hot counter. 64 is the line size on the Pi 5's
    /// Cortex-A76 and on x86-64; 128 also defeats the adjacent-line prefetcher on x86, which
    /// pulls lines in pairs and would otherwise make neighbouring lines share traffic.
    /// </summary>
    public const int Padding = 64;
}
