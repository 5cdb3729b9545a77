using Eeg.Plugins.Examples;
using Eeg.Shared.Frames;
using Eeg.Shared.Stages.TestKit;

namespace Eeg.Tests.Plugins.Examples;

public sealed class BlinkDetectorStageTests
{
    private static readonly StreamDescription Stream = TestSignals.Stream(channels: 8, sampleRate: 1000);

    /// <summary>Alpha-like background on every channel (10 Hz, 40 uV, plus noise) and, on Fp1/Fp2 only, blinks: raised-cosine bumps of 250 uV lasting 300 ms, peaking at the given samples.</summary>
    private static float[] AlphaWithBlinks(int samples, params int[] peaks)
    {
        int channels = Stream.ChannelCount;
        float[] signal = TestSignals.Sine(Stream, samples, 10, 40);
        for (int s = 0; s < samples; s++)
        {
            for (int c = 0; c < channels; c++) signal[s * channels + c] += (float)(5 * TestSignals.Noise(s, c));
            foreach (int peak in peaks)
            {
                int offset = s - peak;
                if (Math.Abs(offset) > 150) continue;
                float blink = (float)(250 * 0.5 * (1 + Math.Cos(Math.PI * offset / 150.0)));
                signal[s * channels + 0] += blink;      // Fp1
                signal[s * channels + 1] += blink;      // Fp2
                signal[s * channels + 2] += blink / 3;  // F7 sees a little of it
            }
        }
        return signal;
    }

    private static StageHarness Run(float[] signal, BlinkDetectorSettings? settings = null)
    {
        var h = new StageHarness(new BlinkDetectorStage(settings ?? new BlinkDetectorSettings()), Stream);
        h.Start();
        h.FeedAll(signal);
        return h;
    }

    [Fact]
    public void The_blink_detector_fires_once_per_simulated_blink_at_its_peak()
    {
        StageHarness h = Run(AlphaWithBlinks(10_000, 2000, 5000, 5600));

        Assert.Equal(3, h.Context.Events.Count);
        Assert.All(h.Context.Events, e => Assert.Equal("blink", e.Name));
        int[] peaks = [2000, 5000, 5600];
        for (int i = 0; i < 3; i++)
        {
            // Within 25 ms of the true peak (the alpha riding on the blink moves the maximum a little).
            Assert.InRange(h.Context.Events[i].SampleIndex, peaks[i] - 25, peaks[i] + 25);
        }
    }

    [Fact]
    public void The_blink_detector_does_not_fire_on_alpha()
    {
        StageHarness h = Run(AlphaWithBlinks(20_000));
        Assert.Empty(h.Context.Events);
    }

    [Fact]
    public void The_blink_detector_does_not_fire_on_a_slow_drift_past_the_threshold()
    {
        // 0 to 300 uV over 3 s on the frontal channels: above threshold but rising at 100 uV/s, not a blink.
        float[] signal = AlphaWithBlinks(6000);
        for (int s = 0; s < 6000; s++)
        {
            float drift = (float)(Math.Min(s, 3000) * 0.1);
            signal[s * Stream.ChannelCount] += drift;
            signal[s * Stream.ChannelCount + 1] += drift;
        }
        StageHarness h = Run(signal);
        Assert.Empty(h.Context.Events);
    }

    [Fact]
    public void A_blink_cut_by_a_gap_is_not_reported()
    {
        float[] signal = AlphaWithBlinks(4000, 2000);
        int channels = Stream.ChannelCount;
        var h = new StageHarness(new BlinkDetectorStage(), Stream);
        h.Start();
        h.FeedAll(signal.AsSpan(0, 1950 * channels));
        h.Gap(500);
        h.FeedAll(signal.AsSpan(2450 * channels));
        Assert.Empty(h.Context.Events);
    }

    [Fact]
    public void A_missing_frontal_channel_is_refused_when_the_stream_starts()
    {
        var h = new StageHarness(new BlinkDetectorStage(new BlinkDetectorSettings { Channels = ["Fpz"] }), Stream);
        var e = Assert.Throws<InvalidOperationException>(h.Start);
        Assert.Contains("'Fpz'", e.Message);
    }
}
