using Eeg.Acquisition.Hosting;
using Eeg.Acquisition.Pipeline;
using Eeg.Acquisition.Reading;
using Eeg.Acquisition.Sources.Simulated;
using Eeg.Pipeline.Configuration;
using Eeg.Pipeline.Slabs;
using Eeg.Shared.Frames;
using Eeg.Tests.Acquisition.Node.Support;

namespace Eeg.Tests.Acquisition.Node.Pipeline;

/// <summary>The reader driven step by step, with the ring's consumer held still by the test.</summary>
public sealed class SampleReaderTests
{
    [Fact]
    public void Frames_dropped_one_after_another_hand_their_whole_gap_to_the_next_published_frame()
    {
        // A real-time source (it cannot wait), a ring of 4 slots that nobody drains: frames 0-3 fit,
        // frames 4-9 are dropped one after another (each dropped frame was itself carrying the gap
        // of the ones before it), then the ring is drained and frame 10 must announce all six.
        PipelineSettings settings = TestSettings.Pattern(channels: 8, rate: 1000, ringSize: 4, wait: "blocking");
        using AcquisitionPipeline pipeline = PipelineFactory.Create(settings);
        var source = (SimulatedSource)pipeline.Source;
        var reader = new SampleReader(source, pipeline.Pool, pipeline.Ring, pipeline.Counters, 1, t => t);

        for (long i = 0; i < 10; i++) reader.ReadOne(i);
        Assert.Equal(6, pipeline.Counters.Overruns);

        for (long s = 0; s <= pipeline.Ring.Cursor; s++)
        {
            pipeline.Ring[s].Slab!.Release();
            pipeline.Ring[s].Slab = null;
        }
        pipeline.Processor.Sequence.SetValue(pipeline.Ring.Cursor);

        reader.ReadOne(10);
        Slab next = pipeline.Ring[pipeline.Ring.Cursor].Slab!;
        Assert.Equal(10, next.FirstSampleIndex);
        Assert.True(next.Flags.HasFlag(FrameFlags.Gap));
        Assert.Equal(6, next.GapSamples);
        Assert.Equal(PatternSignal.CountAt(10, 3), next.Counts[3]);
    }
}
