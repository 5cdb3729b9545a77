using BenchmarkDotNet.Attributes;
using Eeg.Pipeline.Slabs;

namespace Eeg.Bench;

/// <summary>
/// Rent and release of a pooled slab (what the reader and the last sink do per frame) against
/// allocating the frame's arrays fresh, as the seed's prototype did.
/// </summary>
public class SlabPoolBenchmarks
{
    [Params(1, 400)]
    public int FrameSamples;

    private SlabPool _pool = null!;

    [GlobalSetup]
    public void Setup() => _pool = new SlabPool(64, 32, FrameSamples);

    [Benchmark(Baseline = true)]
    public int RentAndRelease()
    {
        _pool.TryRent(out Slab slab);
        slab.SampleCount = 1;
        int channels = slab.Channels;
        slab.Release();
        return channels;
    }

    [Benchmark]
    public int AllocateFresh()
    {
        var slab = new Slab(32, FrameSamples);
        return slab.Channels;
    }
}
