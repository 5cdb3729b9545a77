using Eeg.Pipeline.Slabs;
using Eeg.Processing.Recording;
using Eeg.Shared.Frames;

namespace Eeg.Tests.Processing.Node.Recording;

public sealed class RecordingAllocationTests
{
    [Fact]
    public void Writing_a_frame_into_the_recorder_allocates_nothing_on_the_callers_thread()
    {
        using var dir = new TempDirectory();
        var frames = new PatternFrames(channels: 32, sampleRate: 4000, frameSamples: 1);
        var counters = RecorderTestKit.Counters();
        // 10 s of buffer: the 22 000 frames below fit even if the writer thread never ran, so the
        // measurement is of the copy path, not of waiting.
        using ActiveRecording recording = RecorderTestKit.Start(RecorderTestKit.Settings(dir.Path, bufferSeconds: 10), frames, counters,
            _ => new DiscardStream());
        RecordingWriter w = recording.Writer;
        Slab slab = frames.Rent(0, 1);

        void Run(long from, long to)
        {
            for (long i = from; i < to; i++)
            {
                frames.Fill(slab, i, 1);
                if (i % 100 == 0) slab.TryAddTrigger(new TriggerEvent(i, 5, TriggerSource.HostPin));
                Assert.True(w.Write(slab));
            }
        }

        Run(0, 2000); // warm-up: JIT, first-block paths
        long before = GC.GetAllocatedBytesForCurrentThread();
        Run(2000, 22000);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(22000, w.Samples);
        Assert.Equal(0, w.BlockedCount);
        slab.Release();
        RecorderTestKit.StopAndCheck(recording);
        Assert.Null(w.FailureReason);
    }
}
