using Eeg.Shared.Frames;

namespace Eeg.Shared.Stages.TestKit;

/// <summary>Streams and signals for stage tests: deterministic, in microvolts, sample-major.</summary>
public static class TestSignals
{
    /// <summary>The ADS1299's full scale at gain 24: +/- 4.5 V / 24 = +/- 187500 uV.</summary>
    public const float FullScaleMicrovolts = 187_500f;

    /// <summary>A stream like the lab's: 10-20 channel names (Fp1, Fp2, ...), microvolts.</summary>
    public static StreamDescription Stream(int channels = 32, int sampleRate = 4000, int frameSamples = 1) =>
        new(StreamDescription.DefaultChannelNames(channels), sampleRate, frameSamples, 24, 4.5, "uV", "none (test)", 1_700_000_000_000_000_000L, "test");

    /// <summary>
    /// EEG-like background: per channel a 10 Hz alpha (20-40 uV, phase per channel), a 6 Hz theta
    /// (10 uV), a 20 Hz beta (5 uV) and +/- 5 uV of pseudo-random noise. Sample index <c>first</c> on.
    /// </summary>
    public static float[] Eeg(StreamDescription stream, int samples, long first = 0)
    {
        int c = stream.ChannelCount;
        var values = new float[samples * c];
        for (int s = 0; s < samples; s++)
        {
            double t = (first + s) / (double)stream.SampleRate;
            for (int ch = 0; ch < c; ch++)
            {
                double alpha = (20 + 20.0 * ch / Math.Max(1, c - 1)) * Math.Sin(2 * Math.PI * 10 * t + 0.3 * ch);
                double theta = 10 * Math.Sin(2 * Math.PI * 6 * t + 0.7 * ch);
                double beta = 5 * Math.Sin(2 * Math.PI * 20 * t + 1.1 * ch);
                values[s * c + ch] = (float)(alpha + theta + beta + 5 * Noise(first + s, ch));
            }
        }
        return values;
    }

    /// <summary>A sine of <paramref name="hz"/> and <paramref name="amplitude"/> uV on every channel.</summary>
    public static float[] Sine(StreamDescription stream, int samples, double hz, double amplitude, long first = 0)
    {
        int c = stream.ChannelCount;
        var values = new float[samples * c];
        for (int s = 0; s < samples; s++)
        {
            float v = (float)(amplitude * Math.Sin(2 * Math.PI * hz * (first + s) / stream.SampleRate));
            values.AsSpan(s * c, c).Fill(v);
        }
        return values;
    }

    /// <summary>Deterministic noise in [-1, 1] from (sample, channel): a hash, no shared state.</summary>
    public static double Noise(long sample, int channel)
    {
        ulong x = (ulong)sample * 0x9E3779B97F4A7C15UL ^ (ulong)(channel + 1) * 0xC2B2AE3D27D4EB4FUL;
        x ^= x >> 31;
        x *= 0xBF58476D1CE4E5B9UL;
        x ^= x >> 29;
        return (x >> 11) * (2.0 / (1UL << 53)) - 1.0;
    }
}
