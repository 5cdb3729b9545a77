using Eeg.Plugins.Examples;
using Eeg.Shared.Frames;
using Eeg.Shared.Stages.TestKit;

namespace Eeg.Tests.Plugins.Examples;

public sealed class CommonAverageReferenceStageTests
{
    private static readonly StreamDescription Stream = TestSignals.Stream(channels: 8, sampleRate: 1000);

    /// <summary>Channel c: its own sine (c+3 Hz, 10+c uV) plus what every channel shares: 500 uV of offset and 100 uV of 50 Hz.</summary>
    private static (float[] Signal, float[] Own) SharedOffsetSignal(int samples)
    {
        int channels = Stream.ChannelCount;
        var own = new float[samples * channels];
        var signal = new float[samples * channels];
        for (int s = 0; s < samples; s++)
        {
            double t = s / (double)Stream.SampleRate;
            double shared = 500 + 100 * Math.Sin(2 * Math.PI * 50 * t);
            for (int c = 0; c < channels; c++)
            {
                own[s * channels + c] = (float)((10 + c) * Math.Sin(2 * Math.PI * (c + 3) * t));
                signal[s * channels + c] = (float)(own[s * channels + c] + shared);
            }
        }
        return (signal, own);
    }

    [Fact]
    public void Common_average_reference_removes_an_offset_and_hum_shared_by_every_channel()
    {
        (float[] signal, float[] own) = SharedOffsetSignal(1000);
        int channels = Stream.ChannelCount;
        bool[] all = Enumerable.Repeat(true, channels).ToArray();
        var referenced = new float[channels];
        for (int s = 0; s < 1000; s++)
        {
            ReadOnlySpan<float> sample = signal.AsSpan(s * channels, channels);
            CommonAverageReferenceStage.Apply(sample, all, referenced);
            ReadOnlySpan<float> expectedOwn = own.AsSpan(s * channels, channels);
            float ownMean = 0;
            foreach (float v in expectedOwn) ownMean += v / channels;
            for (int c = 0; c < channels; c++)
            {
                // What is left is each channel's own activity minus the average of those: no offset, no hum.
                Assert.Equal(expectedOwn[c] - ownMean, referenced[c], 0.01f);
            }
            Assert.Equal(0f, referenced.Sum(), 0.01f);
        }
    }

    [Fact]
    public void The_stage_publishes_the_rms_of_the_re_referenced_channels_and_of_the_common_mode()
    {
        (float[] signal, float[] own) = SharedOffsetSignal(1000);
        var h = new StageHarness(new CommonAverageReferenceStage(new CommonAverageReferenceSettings { UpdateSeconds = 1 }), Stream);
        h.Start();
        h.FeedAll(signal);

        int channels = Stream.ChannelCount;
        float[] rms = h.Context.Latest("car-rms");
        for (int c = 0; c < channels; c++)
        {
            double sum = 0;
            for (int s = 0; s < 1000; s++)
            {
                double mean = 0;
                for (int k = 0; k < channels; k++) mean += own[s * channels + k] / (double)channels;
                double v = own[s * channels + c] - mean;
                sum += v * v;
            }
            Assert.Equal(Math.Sqrt(sum / 1000), rms[c], 0.05);
        }
        // The common mode is the shared part: sqrt(500^2 + 100^2 / 2) = 504.98 uV (the channels' own sines average out).
        Assert.InRange(h.Context.Latest("common-mode")[0], 504.0f, 506.0f);
        Assert.Equal(999, h.Context.LatestSampleIndex("car-rms"));
    }

    [Fact]
    public void Excluded_channels_are_re_referenced_but_left_out_of_the_average()
    {
        var stream = TestSignals.Stream(channels: 8, sampleRate: 1000);
        var h = new StageHarness(new CommonAverageReferenceStage(new CommonAverageReferenceSettings { ExcludeChannels = ["fp1"], UpdateSeconds = 0.01 }), stream);
        h.Start();
        // Fp1 carries a 1000 uV artefact, the other seven carry 10 uV: the average is 10, not 133.75.
        var sample = new float[8];
        sample.AsSpan().Fill(10);
        sample[0] = 1000;
        for (int i = 0; i < 10; i++) h.Feed(sample);
        float[] rms = h.Context.Latest("car-rms");
        Assert.Equal(990f, rms[0], 0.01f);
        Assert.Equal(0f, rms[1], 0.01f);
        Assert.Equal(10f, h.Context.Latest("common-mode")[0], 0.01f);
    }

    [Fact]
    public void Naming_a_channel_the_stream_does_not_have_is_refused_when_the_stream_starts()
    {
        var h = new StageHarness(new CommonAverageReferenceStage(new CommonAverageReferenceSettings { ExcludeChannels = ["EOG1"] }), Stream);
        var e = Assert.Throws<InvalidOperationException>(h.Start);
        Assert.Contains("'EOG1'", e.Message);
    }
}
