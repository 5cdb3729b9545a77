namespace Eeg.Tests.Gateway.Node.Support;

/// <summary>
/// A deterministic EEG-like test signal: 10 Hz alpha (stronger at the back of the head), a 50 Hz
/// mains component, a slow drift-free 1/f-ish mix and pseudo-random noise that depends only on
/// (sample index, channel), so a test can recompute every value a client receives.
/// </summary>
public static class EegTestSignal
{
    public static float Value(long index, int channel, int sampleRate)
    {
        double t = index / (double)sampleRate;
        double alphaGain = 8 + 22 * (channel % 8) / 7.0;          // 8..30 uV
        double alpha = alphaGain * Math.Sin(2 * Math.PI * (9.5 + 0.1 * (channel % 5)) * t + channel);
        double theta = 6 * Math.Sin(2 * Math.PI * 5.3 * t + 0.7 * channel);
        double mains = 4 * Math.Sin(2 * Math.PI * 50 * t);
        double noise = 6 * (Hash(index, channel) - 0.5);
        return (float)(alpha + theta + mains + noise);
    }

    private static double Hash(long index, int channel)
    {
        ulong x = (ulong)index * 0x9E3779B97F4A7C15UL ^ (ulong)(channel + 1) * 0xC2B2AE3D27D4EB4FUL;
        x ^= x >> 31;
        x *= 0xBF58476D1CE4E5B9UL;
        x ^= x >> 29;
        return (x >> 11) * (1.0 / (1UL << 53));
    }
}
