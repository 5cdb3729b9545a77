using Eeg.Processing.Recording;

namespace Eeg.Tests.Processing.Node.Recording;

public sealed class BdfSampleStreamTests
{
    [Fact]
    public void Reading_a_recording_sample_by_sample_allocates_nothing_per_sample_and_describes_the_stream()
    {
        using var dir = new TempDirectory();
        using ActiveRecording recording = RecordingGapTests.RecordWithGaps(dir, withTimeJump: true, channels: 8);
        using BdfSampleStream stream = BdfSampleStream.Open(recording.Writer.Paths[0]);
        var description = stream.ToStreamDescription(frameSamples: 1);
        Assert.Equal(8, description.ChannelCount);
        Assert.Equal(4000, description.SampleRate);
        Assert.Equal(24, description.Gain);
        Assert.Equal(4.5, description.ReferenceVolts);
        Assert.Equal(PatternFrames.StartUnixNs, description.StartUnixNs);
        Assert.Equal("replay", description.Source);

        var counts = new int[8];
        Assert.True(stream.TryReadSample(counts, out _, out _)); // first record loaded (warm-up)
        long before = GC.GetAllocatedBytesForCurrentThread();
        long samples = 1, triggers = 0;
        while (stream.TryReadSample(counts, out long index, out int trigger))
        {
            samples++;
            if (trigger != 0) triggers++;
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(13600, samples);
        Assert.Equal(1, triggers);
        Assert.Equal(0, allocated);
    }
}
