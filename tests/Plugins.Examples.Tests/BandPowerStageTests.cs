using Eeg.Plugins.Examples;
using Eeg.Shared.Frames;
using Eeg.Shared.Stages.TestKit;

namespace Eeg.Tests.Plugins.Examples;

public sealed class BandPowerStageTests
{
    private static readonly StreamDescription Stream = TestSignals.Stream(channels: 4, sampleRate: 4000);

    private static StageHarness Run(float[] signal, BandPowerSettings? settings = null, int samplesPerFrame = 1)
    {
        var h = new StageHarness(new BandPowerStage(settings ?? new BandPowerSettings()), Stream);
        h.Start();
        h.FeedAll(signal, samplesPerFrame);
        return h;
    }

    private static float Band(StageHarness h, string band, int channel) => h.Context.Latest(band)[channel];

    [Fact]
    public void Alpha_power_peaks_on_a_10_Hz_sine_and_equals_half_the_squared_amplitude()
    {
        StageHarness h = Run(TestSignals.Sine(Stream, 3 * 4000, hz: 10, amplitude: 20));

        for (int c = 0; c < Stream.ChannelCount; c++)
        {
            float alpha = Band(h, "alpha", c);
            // A sine of amplitude A has power A^2 / 2 = 200 uV^2; the Hann window's leakage stays in 8-13 Hz.
            Assert.InRange(alpha, 195f, 205f);
            foreach (string other in new[] { "delta", "theta", "beta", "gamma" })
            {
                Assert.True(Band(h, other, c) < alpha / 100, $"{other} = {Band(h, other, c)} uV^2 on channel {c}, alpha = {alpha}");
            }
        }
    }

    [Fact]
    public void Each_band_gets_the_power_of_the_sine_that_falls_in_it()
    {
        // 2 Hz 40 uV (delta), 6 Hz 20 uV (theta), 10 Hz 30 uV (alpha), 20 Hz 10 uV (beta), 40 Hz 4 uV (gamma).
        (double Hz, double Amplitude, string Band)[] parts = [(2, 40, "delta"), (6, 20, "theta"), (10, 30, "alpha"), (20, 10, "beta"), (40, 4, "gamma")];
        // A 4 s window (0.25 Hz resolution) keeps the 2 Hz sine's Hann main lobe (+/- 2 bins) inside 1-4 Hz.
        int samples = 6 * 4000;
        var signal = new float[samples * Stream.ChannelCount];
        foreach (var part in parts)
        {
            float[] sine = TestSignals.Sine(Stream, samples, part.Hz, part.Amplitude);
            for (int i = 0; i < signal.Length; i++) signal[i] += sine[i];
        }

        StageHarness h = Run(signal, new BandPowerSettings { WindowSeconds = 4 });

        foreach (var part in parts)
        {
            double expected = part.Amplitude * part.Amplitude / 2;
            Assert.InRange(Band(h, part.Band, 0), expected * 0.97, expected * 1.03);
        }
    }

    [Fact]
    public void Band_power_matches_scipy_periodogram_summed_over_each_band()
    {
        // Expected values from /usr/bin/python3 with scipy 1.10.1 on the same float32 samples:
        //   f, p = scipy.signal.periodogram(x, 4000, window="hann", nfft=4096, detrend="constant")
        //   power[band] = p[(f >= low) & (f < high)].sum() * (f[1] - f[0])
        var stream = TestSignals.Stream(channels: 1, sampleRate: 4000);
        var x = new float[4000];
        for (int n = 0; n < x.Length; n++)
        {
            double t = n / 4000.0;
            x[n] = (float)(30 * Math.Sin(2 * Math.PI * 10.3 * t) + 12 * Math.Sin(2 * Math.PI * 5.1 * t + 0.4) + 7 * Math.Sin(2 * Math.PI * 21.7 * t + 1.0)
                + 3 * Math.Sin(2 * Math.PI * 37 * t) + 20 * Math.Sin(2 * Math.PI * 2.7 * t) + 15);
        }
        var h = new StageHarness(new BandPowerStage(), stream);
        h.Start();
        h.FeedAll(x);

        (string Band, double Scipy)[] expected = [("delta", 203.76309338804825), ("theta", 66.28876664159239), ("alpha", 449.81940079291434), ("beta", 24.52610002083424), ("gamma", 4.500026735631159)];
        foreach ((string band, double scipy) in expected)
        {
            Assert.Equal(scipy, h.Context.Latest(band)[0], scipy * 1e-4);
        }
    }

    [Fact]
    public void Band_power_is_published_every_update_interval_once_the_window_is_full()
    {
        // 1 s window, 0.25 s updates, 3 s of data: first estimate at 1 s, then every 0.25 s -> 9
        // (plus a few frames: the transforms of a round are spread over the frames after it starts).
        StageHarness h = Run(TestSignals.Sine(Stream, 3 * 4000 + 40, 10, 20));
        Assert.Equal(9, h.Context.PublishCount("alpha"));
        Assert.All(BandPowerStage.BandNames, b => Assert.Equal(9, h.Context.PublishCount(b)));
    }

    [Fact]
    public void Band_power_restarts_its_window_after_a_gap()
    {
        StageHarness h = Run(TestSignals.Sine(Stream, 3 * 4000, 10, 20));
        int before = h.Context.PublishCount("alpha");
        h.Gap(100);
        // Half a window after the gap: no estimate may mix samples from both sides of it.
        h.FeedAll(TestSignals.Sine(Stream, 2000, 10, 20, h.NextSampleIndex));
        Assert.Equal(before, h.Context.PublishCount("alpha"));
        h.FeedAll(TestSignals.Sine(Stream, 2040, 10, 20, h.NextSampleIndex));
        Assert.Equal(before + 1, h.Context.PublishCount("alpha"));
        Assert.InRange(Band(h, "alpha", 0), 195f, 205f);
    }

    [Fact]
    public void Frames_of_many_samples_give_the_same_band_power_as_frames_of_one()
    {
        float[] signal = TestSignals.Eeg(Stream, 3 * 4000 + 40);
        StageHarness one = Run(signal, samplesPerFrame: 1);
        StageHarness many = Run(signal, samplesPerFrame: 40);
        Assert.Equal(one.Context.PublishCount("alpha"), many.Context.PublishCount("alpha"));
        for (int c = 0; c < Stream.ChannelCount; c++)
        {
            // Channels may be transformed a few samples apart (the work is spread over calls).
            Assert.InRange(Band(many, "alpha", c), Band(one, "alpha", c) * 0.97f, Band(one, "alpha", c) * 1.03f);
        }
    }

    [Fact]
    public void A_band_above_the_Nyquist_frequency_is_refused_when_the_stream_starts()
    {
        var stage = new BandPowerStage(new BandPowerSettings { GammaHz = [30, 200] });
        var h = new StageHarness(stage, TestSignals.Stream(channels: 4, sampleRate: 250));
        var e = Assert.Throws<InvalidOperationException>(h.Start);
        Assert.Contains("gamma band ends at 200 Hz", e.Message);
    }

    [Fact]
    public void A_band_with_its_edges_reversed_is_refused_by_the_constructor()
    {
        var e = Assert.Throws<ArgumentException>(() => new BandPowerStage(new BandPowerSettings { AlphaHz = [13, 8] }));
        Assert.Contains("alpha-hz", e.Message);
    }
}
