using Eeg.Acquisition.Dsp;
using Eeg.Pipeline.Configuration;
using Xunit.Abstractions;

namespace Eeg.Tests.Acquisition.Node.Dsp;

/// <summary>
/// Why the filter state is double: the measurement quoted in DspChain's remarks. A 0.5 Hz high-pass at
/// 4000 SPS has its poles 5.5e-4 from the unit circle; with float32 state the rounding of a 100 mV electrode
/// offset (1e5 uV) is amplified into an error as large as the EEG itself.
/// </summary>
public class DspChainPrecisionTests
{
    private readonly ITestOutputHelper _output;

    public DspChainPrecisionTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Double_state_tracks_a_float64_reference_where_float_state_fails_at_a_half_hertz_high_pass()
    {
        const int sampleRate = 4000, seconds = 60, n = sampleRate * seconds;
        var settings = DspSettings.Default with { NotchEnabled = false, LowpassEnabled = false }; // HP 0.5 Hz, order 2
        var sections = FilterCascade.FromSettings(settings, sampleRate).Sections;

        // 100 mV offset + slow drift + 40 uV alpha + noise, quantised to float32 as the slab holds it.
        var rng = new Random(42);
        float[] input = new float[n];
        for (int i = 0; i < n; i++)
        {
            double t = (double)i / sampleRate;
            input[i] = (float)(100_000 + 500 * Math.Sin(2 * Math.PI * 0.05 * t) + 40 * Math.Sin(2 * Math.PI * 10 * t) + 5 * (rng.NextDouble() - 0.5));
        }

        double[] reference = ReferenceDouble(sections, input);
        float[] ours = (float[])input.Clone();
        new DspChain(settings, 1, sampleRate, 1.0).ProcessMicrovolts(ours, n);
        float[] floatState = FloatState(sections, input);

        // Skip the start-up transient (10 s = 30 time constants of the 0.5 Hz corner): steady-state error only.
        int from = 10 * sampleRate;
        (double oursMax, double oursRms) = Error(ours, reference, from);
        (double floatMax, double floatRms) = Error(floatState, reference, from);
        _output.WriteLine($"double state: max {oursMax:G3} uV, rms {oursRms:G3} uV; float state: max {floatMax:G3} uV, rms {floatRms:G3} uV");

        Assert.True(oursMax < 0.01, $"double state error {oursMax} uV");
        Assert.True(floatMax > 1000 * oursMax, $"float state error {floatMax} uV vs double {oursMax} uV");
    }

    private static (double Max, double Rms) Error(float[] actual, double[] reference, int from)
    {
        double max = 0, sum = 0;
        for (int i = from; i < actual.Length; i++)
        {
            double d = Math.Abs(actual[i] - reference[i]);
            max = Math.Max(max, d);
            sum += d * d;
        }
        return (max, Math.Sqrt(sum / (actual.Length - from)));
    }

    // Float64 sosfilt: double input, double state, double output.
    private static double[] ReferenceDouble(IReadOnlyList<SecondOrderSection> sos, float[] input)
    {
        var z = new double[sos.Count * 2];
        var y = new double[input.Length];
        for (int i = 0; i < input.Length; i++)
        {
            double x = input[i];
            for (int j = 0; j < sos.Count; j++)
            {
                var s = sos[j];
                double o = s.B0 * x + z[2 * j];
                z[2 * j] = s.B1 * x - s.A1 * o + z[2 * j + 1];
                z[2 * j + 1] = s.B2 * x - s.A2 * o;
                x = o;
            }
            y[i] = x;
        }
        return y;
    }

    // The alternative DspChain does not take: float32 coefficients, state and arithmetic.
    private static float[] FloatState(IReadOnlyList<SecondOrderSection> sos, float[] input)
    {
        var z = new float[sos.Count * 2];
        var y = new float[input.Length];
        for (int i = 0; i < input.Length; i++)
        {
            float x = input[i];
            for (int j = 0; j < sos.Count; j++)
            {
                var s = sos[j];
                float o = (float)s.B0 * x + z[2 * j];
                z[2 * j] = (float)s.B1 * x - (float)s.A1 * o + z[2 * j + 1];
                z[2 * j + 1] = (float)s.B2 * x - (float)s.A2 * o;
                x = o;
            }
            y[i] = x;
        }
        return y;
    }
}
