using Eeg.Plugins.Examples;
using Eeg.Shared.Frames;
using Eeg.Shared.Stages.TestKit;

namespace Eeg.Tests.Plugins.Examples;

public sealed class DecimatorStageTests
{
    private static readonly StreamDescription Stream = TestSignals.Stream(channels: 4, sampleRate: 4000);

    private static StageHarness Run(float[] signal, DecimatorSettings? settings = null, int samplesPerFrame = 1)
    {
        var h = new StageHarness(new DecimatorStage(settings ?? new DecimatorSettings()), Stream);
        h.Context.KeepHistory = true;
        h.Start();
        h.FeedAll(signal, samplesPerFrame);
        return h;
    }

    /// <summary>The slow stream as (input sample index, values per channel), from the published blocks.</summary>
    private static List<(long Index, float[] Values)> Output(StageHarness h, int factor)
    {
        var result = new List<(long, float[])>();
        int channels = Stream.ChannelCount;
        foreach (RecordedOutput block in h.Context.History)
        {
            int samples = block.Values.Length / channels;
            for (int k = 0; k < samples; k++)
            {
                long index = block.SampleIndex - (samples - 1 - k) * factor;
                result.Add((index, block.Values.AsSpan(k * channels, channels).ToArray()));
            }
        }
        return result;
    }

    [Fact]
    public void The_decimator_feeds_a_250_Hz_stream_in_blocks_of_a_fifth_of_a_second()
    {
        StageHarness h = Run(TestSignals.Sine(Stream, 4 * 4000, 10, 50));
        var stage = (DecimatorStage)h.Stage;
        Assert.Equal(16, stage.Factor);

        // 4 s in; the filter needs 129 samples before its first output: outputs at 128 + 16k... up to 15999.
        List<(long Index, float[] Values)> output = Output(h, 16);
        Assert.All(h.Context.History, b => Assert.Equal(50 * 4, b.Values.Length));
        Assert.Equal(h.Context.History.Count * 50, output.Count);
        for (int i = 1; i < output.Count; i++) Assert.Equal(output[i - 1].Index + 16, output[i].Index);
    }

    [Fact]
    public void The_decimated_signal_is_the_input_delayed_by_the_filter_with_its_amplitude_kept()
    {
        StageHarness h = Run(TestSignals.Sine(Stream, 4 * 4000, 10, 50));
        int delay = ((DecimatorStage)h.Stage).DelaySamples;
        foreach ((long index, float[] values) in Output(h, 16))
        {
            double expected = 50 * Math.Sin(2 * Math.PI * 10 * (index - delay) / 4000.0);
            Assert.All(values, v => Assert.Equal(expected, v, 0.5));
        }
    }

    [Fact]
    public void The_decimator_removes_what_would_alias_above_the_slow_streams_Nyquist_frequency()
    {
        // 300 Hz at 100 uV would fold to 50 Hz at 250 samples/s; the filter must take it below 1 uV (-40 dB).
        StageHarness h = Run(TestSignals.Sine(Stream, 4 * 4000, 300, 100));
        Assert.All(Output(h, 16), o => Assert.All(o.Values, v => Assert.InRange(v, -1f, 1f)));
    }

    [Fact]
    public void Frames_of_many_samples_give_the_same_slow_stream_as_frames_of_one()
    {
        float[] signal = TestSignals.Eeg(Stream, 2 * 4000);
        var one = Output(Run(signal, samplesPerFrame: 1), 16);
        var many = Output(Run(signal, samplesPerFrame: 50), 16);
        Assert.Equal(one.Count, many.Count);
        for (int i = 0; i < one.Count; i++)
        {
            Assert.Equal(one[i].Index, many[i].Index);
            Assert.Equal(one[i].Values, many[i].Values);
        }
    }

    [Fact]
    public void At_a_gap_the_decimator_publishes_the_partial_block_and_restarts()
    {
        var h = new StageHarness(new DecimatorStage(), Stream);
        h.Context.KeepHistory = true;
        h.Start();
        h.FeedAll(TestSignals.Sine(Stream, 1000, 10, 50));
        // Outputs at input samples 128, 144, ..., 992 (the filter needs 129 samples first): 55 of them,
        // one full block of 50 published and 5 waiting.
        Assert.Single(h.Context.History);
        h.Gap(10);
        h.Feed(TestSignals.Sine(Stream, 1, 10, 50, h.NextSampleIndex));
        Assert.Equal(2, h.Context.History.Count);
        Assert.Equal(992, h.Context.History[1].SampleIndex);
        Assert.Equal(5 * 4, h.Context.History[1].Values.Length);
    }

    [Fact]
    public void An_output_rate_that_does_not_divide_the_input_rate_is_refused_when_the_stream_starts()
    {
        var h = new StageHarness(new DecimatorStage(new DecimatorSettings { OutputRate = 300 }), Stream);
        var e = Assert.Throws<InvalidOperationException>(h.Start);
        Assert.Contains("does not divide", e.Message);
    }
}
