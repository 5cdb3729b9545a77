using Eeg.Acquisition.FanOut;
using Eeg.Acquisition.Hosting;
using Eeg.Acquisition.Pipeline;
using Eeg.Pipeline.Configuration;
using Eeg.Pipeline.Sinks;
using Eeg.Pipeline.Slabs;
using Eeg.Shared.Frames;
using Eeg.Tests.Acquisition.Node.Support;

namespace Eeg.Tests.Acquisition.Node.Pipeline;

[Collection(RealTimeCollection.Name)]
public sealed class AcquisitionPipelineTests
{
    private static QueueFrameSink Sink(string name, SinkPolicy policy, int capacity, double timeoutSeconds = 5) =>
        new(name, new FramePolicyQueue(policy, capacity, TimeSpan.FromSeconds(timeoutSeconds), 4, new SinkCounters(name, policy, capacity)));

    [Fact]
    public void Every_sink_sees_every_sample_index_once_and_in_order_when_no_overrun_is_counted()
    {
        // Paced at 4000 SPS, 32 channels, 1 sample per frame: 3 s = 12,000 frames.
        PipelineSettings settings = TestSettings.Pattern(wait: "blocking");
        using AcquisitionPipeline pipeline = PipelineFactory.Create(settings);
        QueueFrameSink scope = Sink("scope", SinkPolicy.DropOldest, 64);
        QueueFrameSink recorder = Sink("recorder", SinkPolicy.Lossless, 64);
        pipeline.FanOut.Add(scope);
        pipeline.FanOut.Add(recorder);
        using var scopeCheck = new IndexCheckingConsumer(scope.Queue, checkPattern: true);
        using var recorderCheck = new IndexCheckingConsumer(recorder.Queue, checkPattern: true);

        pipeline.Start();
        Thread.Sleep(TimeSpan.FromSeconds(3)); // the test's observation window, not a data-path wait
        pipeline.Stop(TimeSpan.FromSeconds(5));
        scopeCheck.Dispose();
        recorderCheck.Dispose();

        Assert.Equal(0, pipeline.Counters.Overruns);
        Assert.True(pipeline.Counters.Samples > 10_000, $"only {pipeline.Counters.Samples} samples in 3 s");
        foreach (IndexCheckingConsumer check in new[] { scopeCheck, recorderCheck })
        {
            Assert.Null(check.FirstError);
            Assert.Equal(pipeline.Counters.Samples, check.Samples);
            Assert.Equal(0, check.GapSamplesSeen);
        }
        Assert.Equal(0, scope.Queue.Counters.Dropped);
        Assert.Equal(pipeline.Pool.Capacity, pipeline.Pool.Available);
    }

    [Fact]
    public void A_sink_that_holds_every_slab_causes_counted_overruns_and_a_visible_gap()
    {
        // 16 slabs, a lossless sink with room for 64 frames that nobody drains: the pool runs dry,
        // the reader drops samples (overruns), and once the sink drains, the next frame says Gap.
        PipelineSettings settings = TestSettings.Pattern(channels: 8, rate: 1000, freeRunning: false, ringSize: 8, slabCount: 16, wait: "blocking");
        using AcquisitionPipeline pipeline = PipelineFactory.Create(settings);
        QueueFrameSink hoarder = Sink("hoarder", SinkPolicy.Lossless, 64);
        pipeline.FanOut.Add(hoarder);
        pipeline.Start();

        SpinWait.SpinUntil(() => pipeline.Counters.Overruns >= 50, TimeSpan.FromSeconds(10));
        Assert.True(pipeline.Counters.Overruns >= 50, $"overruns {pipeline.Counters.Overruns}");
        Assert.Equal(0, pipeline.Pool.Available);

        using var check = new IndexCheckingConsumer(hoarder.Queue, checkPattern: true);
        SpinWait.SpinUntil(() => check.GapSamplesSeen > 0, TimeSpan.FromSeconds(10));
        pipeline.Stop(TimeSpan.FromSeconds(5));
        check.Dispose();

        Assert.Null(check.FirstError); // every jump in the index was announced by its frame
        Assert.Equal(pipeline.Counters.Overruns, check.GapSamplesSeen);
        Assert.Equal(pipeline.Counters.Samples, check.Samples + check.GapSamplesSeen);
    }

    [Fact]
    public void A_frame_that_starts_after_dropped_samples_carries_the_gap_flag()
    {
        PipelineSettings settings = TestSettings.Pattern(channels: 8, rate: 1000, ringSize: 8, slabCount: 4, wait: "blocking");
        using AcquisitionPipeline pipeline = PipelineFactory.Create(settings);
        QueueFrameSink hoarder = Sink("hoarder", SinkPolicy.Lossless, 8);
        pipeline.FanOut.Add(hoarder);
        pipeline.Start();
        SpinWait.SpinUntil(() => pipeline.Counters.Overruns >= 5, TimeSpan.FromSeconds(10));

        var frames = new List<(long Index, FrameFlags Flags, long Gap)>();
        while (frames.Count < 6)
        {
            if (hoarder.Queue.TryTake(out Slab slab))
            {
                frames.Add((slab.FirstSampleIndex, slab.Flags, slab.GapSamples));
                slab.Release();
            }
            else Thread.Yield();
        }
        pipeline.Stop(TimeSpan.FromSeconds(5));

        var gapFrame = frames.First(f => f.Gap > 0);
        Assert.True(gapFrame.Flags.HasFlag(FrameFlags.Gap));
        int at = frames.IndexOf(gapFrame);
        Assert.Equal(frames[at - 1].Index + 1 + gapFrame.Gap, gapFrame.Index);
    }
}
