using Eeg.Acquisition.Dsp;
using Eeg.Pipeline.Configuration;
using Eeg.Pipeline.Slabs;
using Eeg.Shared.Frames;

using Eeg.Tests.Acquisition.Node.Support;

namespace Eeg.Tests.Acquisition.Node.Dsp;

public class DspChainTests
{
    // ADS1299 defaults: Vref 4.5 V, gain 24 -> 0.0223517... uV per count.
    private static readonly double MicrovoltsPerCount =
        new StreamDescription(StreamDescription.DefaultChannelNames(8), 4000, 1, 24, 4.5, "uV", "", 0, "simulated").MicrovoltsPerCount;

    [Theory]
    [InlineData(4000)]
    [InlineData(250)]
    public void Cascade_output_equals_scipy_sosfilt_from_zero_state(int sampleRate)
    {
        var v = ReferenceVectors.LoadCascade(sampleRate);
        var chain = new DspChain(v.Settings, v.Channels, sampleRate, MicrovoltsPerCount);
        Assert.Equal(v.Sos.Length, chain.Cascade.Sections.Count);
        float[] data = v.InputSampleMajor();

        chain.ProcessMicrovolts(data, v.Samples);

        double worst = 0;
        for (int s = 0; s < v.Samples; s++)
        {
            for (int c = 0; c < v.Channels; c++)
            {
                double expected = v.Output[c][s], actual = data[s * v.Channels + c];
                // One float32 rounding of the output (2^-24 relative) plus the 12 digits the vectors keep.
                double allowed = 6.0e-8 * Math.Abs(expected) + 1e-8;
                Assert.True(Math.Abs(actual - expected) <= allowed,
                    $"fs {sampleRate}, sample {s}, channel {c}: {actual:R} vs scipy {expected:R}");
                worst = Math.Max(worst, Math.Abs(actual - expected) / Math.Max(1, Math.Abs(expected)));
            }
        }
        Assert.True(worst < 6.0e-8, $"worst relative error {worst:E2}");
    }

    [Fact]
    public void The_result_does_not_depend_on_how_the_stream_is_cut_into_frames()
    {
        var v = ReferenceVectors.LoadCascade(4000);
        float[] whole = v.InputSampleMajor();
        float[] framed = (float[])whole.Clone();
        new DspChain(v.Settings, v.Channels, 4000, MicrovoltsPerCount).ProcessMicrovolts(whole, v.Samples);

        var chain = new DspChain(v.Settings, v.Channels, 4000, MicrovoltsPerCount);
        int[] frameSizes = { 1, 7, 400, 3, 64 };
        for (int s = 0, f = 0; s < v.Samples; f++)
        {
            int n = Math.Min(frameSizes[f % frameSizes.Length], v.Samples - s);
            chain.ProcessMicrovolts(framed.AsSpan(s * v.Channels, n * v.Channels), n);
            s += n;
        }

        Assert.Equal(whole, framed);
    }

    [Fact]
    public void Each_channel_keeps_its_own_state()
    {
        var v = ReferenceVectors.LoadCascade(250);
        float[] data = v.InputSampleMajor();
        // Channel order reversed: every output channel must follow its input channel.
        float[] reversed = new float[data.Length];
        for (int s = 0; s < v.Samples; s++)
            for (int c = 0; c < v.Channels; c++)
                reversed[s * v.Channels + c] = data[s * v.Channels + (v.Channels - 1 - c)];

        new DspChain(v.Settings, v.Channels, 250, MicrovoltsPerCount).ProcessMicrovolts(data, v.Samples);
        new DspChain(v.Settings, v.Channels, 250, MicrovoltsPerCount).ProcessMicrovolts(reversed, v.Samples);

        for (int s = 0; s < v.Samples; s++)
            for (int c = 0; c < v.Channels; c++)
                Assert.Equal(data[s * v.Channels + c], reversed[s * v.Channels + (v.Channels - 1 - c)]);
    }

    [Fact]
    public void With_dsp_off_counts_become_microvolts_and_nothing_else()
    {
        var chain = new DspChain(DspSettings.Default with { Enabled = false }, 4, 4000, MicrovoltsPerCount);
        var slab = new Slab(4, 3) { SampleCount = 3 };
        int[] counts = { 0, 1, -1, 8_388_607, -8_388_608, 1000, -1000, 44_739, 7, 8, 9, 10 };
        counts.CopyTo(slab.Counts, 0);

        chain.Process(slab);

        Assert.Equal("none (DSP off)", chain.Describe());
        Assert.Equal(0.022351741790771484, MicrovoltsPerCount, 15); // 2 * 4.5 / 24 / 2^24 * 1e6
        for (int i = 0; i < counts.Length; i++)
            Assert.Equal((float)(counts[i] * 2 * 4.5 / 24 / (1 << 24) * 1e6), slab.Microvolts[i]);
        Assert.Equal(187_499.98f, slab.Microvolts[3], 0.005f); // full scale is +-Vref/gain = 187.5 mV, less one LSB
    }

    [Fact]
    public void Processing_a_slab_equals_converting_then_filtering_the_microvolts_bit_for_bit()
    {
        const int channels = 8, samples = 500;
        var rng = new Random(7);
        var slab = new Slab(channels, samples) { SampleCount = samples };
        for (int i = 0; i < slab.Counts.Length; i++) slab.Counts[i] = 4_000_000 + rng.Next(-50_000, 50_000);

        var online = new DspChain(DspSettings.Default, channels, 4000, MicrovoltsPerCount);
        online.Process(slab);

        var offline = new DspChain(DspSettings.Default, channels, 4000, MicrovoltsPerCount);
        float[] microvolts = slab.Counts.Select(c => (float)(c * MicrovoltsPerCount)).ToArray();
        offline.ProcessMicrovolts(microvolts, samples);

        Assert.Equal(microvolts, slab.Microvolts);
    }

    [Fact]
    public void Reset_returns_to_the_zero_state_of_a_new_chain()
    {
        var v = ReferenceVectors.LoadCascade(250);
        var chain = new DspChain(v.Settings, v.Channels, 250, MicrovoltsPerCount);
        float[] first = v.InputSampleMajor(), second = v.InputSampleMajor();

        chain.ProcessMicrovolts(first, v.Samples);
        chain.Reset();
        chain.ProcessMicrovolts(second, v.Samples);

        Assert.Equal(first, second);
    }

    [Fact]
    public void Priming_sets_the_steady_state_scipy_sosfilt_zi_gives()
    {
        var v = ReferenceVectors.LoadCascade(4000);
        var chain = new DspChain(v.Settings, 2, 4000, MicrovoltsPerCount);

        chain.PrimeSteadyState(new[] { 1f, -2500f });

        for (int c = 0; c < 2; c++)
        {
            double scale = c == 0 ? 1 : -2500;
            var state = chain.StateOf(c);
            for (int j = 0; j < v.Zi.Length; j++)
                for (int k = 0; k < 2; k++)
                    Assert.True(Math.Abs(state[2 * j + k] - v.Zi[j][k] * scale) <= 1e-9 * Math.Abs(scale),
                        $"channel {c} section {j} z{k}: {state[2 * j + k]:R} vs {v.Zi[j][k] * scale:R}");
        }
    }

    [Fact]
    public void A_primed_chain_fed_a_constant_stays_at_its_steady_output()
    {
        var chain = new DspChain(DspSettings.Default, 1, 4000, MicrovoltsPerCount);
        chain.PrimeSteadyState(new[] { 100_000f });
        float[] constant = Enumerable.Repeat(100_000f, 4000).ToArray();

        chain.ProcessMicrovolts(constant, constant.Length);

        // The high-pass removes DC entirely: without priming the first output would be 100,000 uV.
        Assert.All(constant, y => Assert.True(Math.Abs(y) < 1e-3, $"{y}"));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(400)]
    public void Processing_ten_thousand_frames_of_32_channels_allocates_nothing(int samplesPerFrame)
    {
        const int channels = 32, frames = 10_000;
        var chain = new DspChain(DspSettings.Default, channels, 4000, MicrovoltsPerCount);
        var slab = new Slab(channels, samplesPerFrame) { SampleCount = samplesPerFrame };
        for (int i = 0; i < slab.Counts.Length; i++) slab.Counts[i] = 1_000_000 + 37 * i;
        chain.Process(slab); // JIT out of the measured window

        // Process covers both halves: ConvertCounts and ProcessMicrovolts (the offline command's path).
        // Smallest of three windows (AllocationWindows; seen once in a loaded CI run: 944 B in one).
        long smallest = AllocationWindows.Smallest(() =>
        {
            for (int f = 0; f < frames; f++)
                chain.Process(slab);
            return 0;
        });

        Assert.Equal(0, smallest);
        Assert.All(slab.Microvolts, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void A_slab_with_a_different_channel_count_is_refused()
    {
        var chain = new DspChain(DspSettings.Default, 8, 4000, MicrovoltsPerCount);
        Assert.Throws<ArgumentException>(() => chain.Process(new Slab(16, 1) { SampleCount = 1 }));
    }
}
