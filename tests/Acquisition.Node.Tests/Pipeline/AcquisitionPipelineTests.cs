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

        // The lossless sink sees every sample exactly once, in order.
        Assert.Null(recorderCheck.FirstError);
        Assert.Null(recorderCheck.RepeatError);
        Assert.Equal(pipeline.Counters.Samples, recorderCheck.Samples);
        Assert.Equal(0, recorder.Queue.Counters.Dropped);

        // The drop-oldest sink may drop when its thread is held off the CPU (a loaded machine), but
        // never repeats, every value it gets is right, and every sample it lacks is a counted drop.
        Assert.Null(scopeCheck.RepeatError);
        Assert.Equal(0, scopeCheck.PatternErrors);
        Assert.Equal(pipeline.Counters.Samples, scopeCheck.Samples + scope.Queue.Counters.Dropped);
        Assert.Equal(scope.Queue.Counters.Dropped, scopeCheck.FirstIndex + scopeCheck.SkippedSamples + TailDrops(scopeCheck, pipeline));
        Assert.Equal(pipeline.Pool.Capacity, pipeline.Pool.Available);
    }

    /// <summary>Drops after the last frame the consumer saw (like drops before its first) cannot show as a jump: count them apart.</summary>
    private static long TailDrops(IndexCheckingConsumer check, AcquisitionPipeline pipeline) =>
        pipeline.Counters.Samples - (check.LastIndex + 1);

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

        // Drained, the reader gets slabs again and the next frame announces the gap. On a loaded
        // machine the DSP thread can also fall behind the 8-slot ring, so a frame dropped there returns
        // its slab early and the overruns come in more than one run: wait until every overrun counted so
        // far has been announced by a later frame (it never would be if a gap were lost).
        using var check = new IndexCheckingConsumer(hoarder.Queue, checkPattern: true);
        bool announced = SpinWait.SpinUntil(() =>
        {
            long overruns = pipeline.Counters.Overruns;
            return check.GapSamplesSeen > 0 && check.GapSamplesSeen == overruns;
        }, TimeSpan.FromSeconds(30));
        long seen = check.GapSamplesSeen;
        pipeline.Stop(TimeSpan.FromSeconds(5));
        check.Dispose();

        Assert.True(announced, $"{pipeline.Counters.Overruns} overruns, {seen} gap samples announced");
        Assert.Null(check.FirstError); // every jump in the index was announced by its frame
        // Every sample read was either delivered or counted as an overrun (an overrun after the last
        // frame has no later frame to announce it, but it is counted).
        Assert.Equal(pipeline.Counters.Samples, check.Samples + pipeline.Counters.Overruns);
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
