using BenchmarkDotNet.Attributes;
using Eeg.Acquisition.Dsp;
using Eeg.Pipeline.Configuration;
using Eeg.Pipeline.Slabs;

namespace Eeg.Bench;

/// <summary>
/// The DSP chain per frame, 32 channels: counts to microvolts, high-pass 0.5 Hz (order 2), notch
/// 50 Hz, low-pass 100 Hz (order 4), in place on a slab. Per frame and, via the column
/// "ns/sample", per sample of 32 channels.
/// </summary>
public class DspBenchmarks
{
    [Params(1, 400)]
    public int FrameSamples;

    private DspChain _chain = null!;
    private Slab _slab = null!;

    [GlobalSetup]
    public void Setup()
    {
        _chain = new DspChain(DspSettings.Default, 32, 4000, 2.0 * 4.5 / 24 / (1 << 24) * 1e6);
        _slab = new Slab(32, FrameSamples) { SampleCount = FrameSamples };
        var random = new Random(1);
        for (int i = 0; i < _slab.Counts.Length; i++) _slab.Counts[i] = random.Next(-500_000, 500_000);
    }

    [Benchmark]
    public void ProcessFrame() => _chain.Process(_slab);
}
