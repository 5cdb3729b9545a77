using System.Numerics;

namespace Eeg.Acquisition.Dsp;

/// <summary>Which side of the cutoff a Butterworth filter keeps.</summary>
public enum PassBand { Lowpass, Highpass }

/// <summary>
/// Digital Butterworth design as <c>scipy.signal.butter(order, cutoff, btype, fs=fs, output='sos')</c>:
/// analog prototype (buttap), frequency transform with a prewarped cutoff (lp2lp_zpk / lp2hp_zpk),
/// bilinear transform (bilinear_zpk), then <see cref="ZpkToSos"/>. Every step follows scipy's arithmetic
/// (scipy 1.10, including its normalisation to fs = 2) so the coefficients agree to a few ulps
/// (at most 5.4e-16 relative over the reference sets in tests/Acquisition.Node.Tests/Dsp/vectors).
/// Design runs once per settings change, never on the hot path, so it favours fidelity over speed.
/// </summary>
public static class Butterworth
{
    /// <summary>Second-order sections of an order-<paramref name="order"/> Butterworth filter.</summary>
    /// <exception cref="ArgumentOutOfRangeException">order &lt; 1, or the cutoff is not strictly between 0 and Nyquist.</exception>
    public static SecondOrderSection[] Design(PassBand band, int order, double cutoffHz, double sampleRate)
    {
        if (order < 1) throw new ArgumentOutOfRangeException(nameof(order), order, "order must be at least 1");
        if (!(sampleRate > 0) || double.IsInfinity(sampleRate)) throw new ArgumentOutOfRangeException(nameof(sampleRate));
        if (!(cutoffHz > 0) || cutoffHz >= sampleRate / 2)
            throw new ArgumentOutOfRangeException(nameof(cutoffHz), cutoffHz, "cutoff must be above 0 and below Nyquist");

        // iirfilter: Wn = 2*Wn/fs, then prewarp with the normalised fs = 2.
        double wn = 2 * cutoffHz / sampleRate;
        const double fs = 2.0;
        double warped = 2 * fs * Math.Tan(Math.PI * wn / fs);

        // buttap: no zeros, poles -exp(j*pi*m/(2N)) for m = -N+1, -N+3, ..., N-1, gain 1.
        var prototype = new Complex[order];
        for (int i = 0, m = -order + 1; i < order; i++, m += 2)
            prototype[i] = -Complex.Exp(new Complex(0, Math.PI * m / (2 * order)));

        var zeros = new List<Complex>();
        var poles = new List<Complex>(order);
        double gain;
        if (band == PassBand.Lowpass)
        {
            // lp2lp_zpk: scale the poles; gain wo^degree.
            foreach (var p in prototype) poles.Add(warped * p);
            gain = Math.Pow(warped, order);
        }
        else
        {
            // lp2hp_zpk: invert the poles, the zeros at infinity move to the origin; gain real(prod(-z)/prod(-p)).
            Complex product = Complex.One;
            foreach (var p in prototype)
            {
                poles.Add(new Complex(warped, 0) / p);
                product *= -p;
            }
            for (int i = 0; i < order; i++) zeros.Add(Complex.Zero);
            gain = (Complex.One / product).Real;
        }

        // bilinear_zpk with fs = 2: z -> (2fs + z)/(2fs - z); zeros at infinity go to -1.
        const double fs2 = 2.0 * fs;
        var zd = new List<Complex>(order);
        var pd = new List<Complex>(order);
        Complex numerator = Complex.One, denominator = Complex.One;
        foreach (var z in zeros)
        {
            zd.Add((fs2 + z) / (fs2 - z));
            numerator *= fs2 - z;
        }
        foreach (var p in poles)
        {
            pd.Add((fs2 + p) / (fs2 - p));
            denominator *= fs2 - p;
        }
        for (int i = zeros.Count; i < poles.Count; i++) zd.Add(-Complex.One);
        double digitalGain = gain * (numerator / denominator).Real;

        return ZpkToSos.Convert(zd, pd, digitalGain);
    }
}
