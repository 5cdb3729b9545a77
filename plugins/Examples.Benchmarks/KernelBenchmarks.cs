using BenchmarkDotNet.Attributes;

namespace Eeg.Plugins.Examples.Benchmarks;

/// <summary>
/// The evidence for two choices in the example stages:
/// - BandPowerStage spreads its transforms over calls: <see cref="OneChannelTransform"/> is the cost of
///   one channel's 4096-point FFT; 32 of them in one call would be 32 times that, against a 250 us
///   budget per frame and a queue of a few frames.
/// - DecimatorStage stores its history twice (a "double ring") so the FIR reads one contiguous run:
///   <see cref="FirDoubleRing"/> against <see cref="FirModuloRing"/> (the usual ring with a
///   wrap-around per tap), 129 taps x 32 channels, one output sample.
/// </summary>
public class KernelBenchmarks
{
    private const int Taps = 129;
    private const int Channels = 32;
    private readonly Fft _fft = new(4096);
    private readonly double[] _re = new double[4096];
    private readonly double[] _im = new double[4096];
    private readonly float[] _h = DecimatorStage.LowPass(Taps, 0.4 * 250 / 4000);
    private readonly float[] _doubleRing = new float[2 * Taps * Channels];
    private readonly float[] _ring = new float[Taps * Channels];
    private readonly float[] _output = new float[Channels];
    private int _write = 57;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        for (int i = 0; i < _ring.Length; i++) _ring[i] = (float)random.NextDouble();
        for (int i = 0; i < _doubleRing.Length; i++) _doubleRing[i] = _ring[i % _ring.Length];
    }

    [Benchmark]
    public void OneChannelTransform()
    {
        for (int i = 0; i < _re.Length; i++)
        {
            _re[i] = i < 4000 ? Math.Sin(i * 0.0157) : 0;
            _im[i] = 0;
        }
        _fft.Forward(_re, _im);
    }

    [Benchmark(Baseline = true)]
    public float FirModuloRing()
    {
        Span<float> output = _output;
        output.Clear();
        for (int t = 0; t < Taps; t++)
        {
            float h = _h[Taps - 1 - t];
            int row = (_write + t) % Taps * Channels;
            for (int c = 0; c < Channels; c++) output[c] += h * _ring[row + c];
        }
        return output[0];
    }

    [Benchmark]
    public float FirDoubleRing()
    {
        Span<float> output = _output;
        output.Clear();
        ReadOnlySpan<float> window = _doubleRing.AsSpan(_write * Channels, Taps * Channels);
        for (int t = 0; t < Taps; t++)
        {
            float h = _h[Taps - 1 - t];
            ReadOnlySpan<float> row = window.Slice(t * Channels, Channels);
            for (int c = 0; c < Channels; c++) output[c] += h * row[c];
        }
        return output[0];
    }
}
