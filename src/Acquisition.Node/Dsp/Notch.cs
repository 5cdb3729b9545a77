namespace Eeg.Acquisition.Dsp;

/// <summary>
/// Second-order IIR notch as <c>scipy.signal.iirnotch(w0, Q, fs)</c> (Orfanidis, Introduction to Signal
/// Processing, 11.3.4-11.3.7): zeros on the unit circle at <paramref name="frequencyHz"/>, -3 dB
/// bandwidth f0/Q. Same arithmetic as scipy, so the coefficients agree to ~1e-16.
/// </summary>
public static class Notch
{
    /// <exception cref="ArgumentOutOfRangeException">Q &lt;= 0, or the frequency is not strictly between 0 and Nyquist.</exception>
    public static SecondOrderSection Design(double frequencyHz, double q, double sampleRate)
    {
        if (!(q > 0) || double.IsInfinity(q)) throw new ArgumentOutOfRangeException(nameof(q), q, "Q must be above 0");
        if (!(frequencyHz > 0) || frequencyHz >= sampleRate / 2)
            throw new ArgumentOutOfRangeException(nameof(frequencyHz), frequencyHz, "frequency must be above 0 and below Nyquist");

        double w0 = 2 * frequencyHz / sampleRate;
        double bw = w0 / q;
        bw *= Math.PI;
        w0 *= Math.PI;
        double gb = 1 / Math.Sqrt(2);
        double beta = (Math.Sqrt(1.0 - Math.Pow(gb, 2.0)) / gb) * Math.Tan(bw / 2.0);
        double gain = 1.0 / (1.0 + beta);
        double cos = Math.Cos(w0);
        return new SecondOrderSection(gain * 1.0, gain * (-2.0 * cos), gain * 1.0, -2.0 * gain * cos, 2.0 * gain - 1.0);
    }
}
