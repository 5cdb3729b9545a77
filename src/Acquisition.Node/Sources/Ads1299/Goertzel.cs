namespace Eeg.Acquisition.Sources.Ads1299;

/// <summary>
/// The Goertzel algorithm over many channels at once: the DFT term at one frequency, one multiply and
/// two adds per sample and channel, over arrays allocated once. Cheaper than an FFT when one bin is wanted.
/// </summary>
public sealed class Goertzel
{
    private readonly double _coefficient;
    private readonly double _cos;
    private readonly double _sin;
    private readonly double[] _s1;
    private readonly double[] _s2;

    /// <param name="channels">Channels fed together, one value each per sample.</param>
    /// <param name="normalizedFrequency">Frequency / sample rate (0.25 for fDR/4).</param>
    public Goertzel(int channels, double normalizedFrequency)
    {
        double w = 2 * Math.PI * normalizedFrequency;
        _cos = Math.Cos(w);
        _sin = Math.Sin(w);
        _coefficient = 2 * _cos;
        _s1 = new double[channels];
        _s2 = new double[channels];
    }

    /// <summary>Samples added since the last <see cref="Reset"/>.</summary>
    public int Count { get; private set; }

    /// <summary>Adds one sample of every channel.</summary>
    public void Add(ReadOnlySpan<int> values)
    {
        double[] s1 = _s1, s2 = _s2;
        for (int c = 0; c < s1.Length; c++)
        {
            double s = values[c] + _coefficient * s1[c] - s2[c];
            s2[c] = s1[c];
            s1[c] = s;
        }
        Count++;
    }

    /// <summary>|X(f)| of channel <paramref name="channel"/> over the samples added so far.</summary>
    public double Magnitude(int channel)
    {
        double re = _s1[channel] - _s2[channel] * _cos;
        double im = _s2[channel] * _sin;
        return Math.Sqrt(re * re + im * im);
    }

    public void Reset()
    {
        Array.Clear(_s1);
        Array.Clear(_s2);
        Count = 0;
    }
}
