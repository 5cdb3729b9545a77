using Eeg.Pipeline.Slabs;
using Eeg.Processing.Recording;
using Eeg.Shared.Frames;

namespace Eeg.Tests.Processing.Node.Recording;

public sealed class RecordingGapTests
{
    /// <summary>
    /// 0..5999, a 400-sample gap inside record 1 (padded in place, records stay contiguous), 6400..9999,
    /// a 6000-sample gap that skips two records' worth of time (record 3 starts at 16000: BDF+D),
    /// 16000..19999. A trigger at 6405 and a marker at 2999.
    /// </summary>
    internal static ActiveRecording RecordWithGaps(TempDirectory dir, bool withTimeJump = true, int channels = 8)
    {
        var frames = new PatternFrames(channels: channels, sampleRate: 4000, frameSamples: 10);
        ActiveRecording recording = RecorderTestKit.Start(RecorderTestKit.Settings(dir.Path, formats: RecordingFormat.Bdf), frames);
        RecordingWriter w = recording.Writer;
        frames.WriteRange(w, 0, 3000);
        w.Annotate(w.LastSampleIndex, 0, "stimulus on");
        frames.WriteRange(w, 3000, 6000);
        Slab withTrigger = frames.Rent(6400, 10, gapBefore: 400);
        withTrigger.TryAddTrigger(new TriggerEvent(6405, 7, TriggerSource.HostPin));
        w.Write(withTrigger);
        withTrigger.Release();
        frames.WriteRange(w, 6410, 10000);
        if (withTimeJump)
        {
            frames.WriteRange(w, 16000, 20000, gapBefore: 6000);
        }
        else
        {
            frames.WriteRange(w, 10000, 11000);
        }
        RecorderTestKit.StopAndCheck(recording);
        return recording;
    }

    [Fact]
    public void A_gap_is_annotated_with_its_length_and_later_records_sit_at_their_true_time()
    {
        using var dir = new TempDirectory();
        using ActiveRecording recording = RecordWithGaps(dir);
        Assert.Equal(6400, recording.Writer.GapSamples);
        Assert.Equal(13600, recording.Writer.Samples);

        using BdfSampleStream stream = BdfSampleStream.Open(recording.Writer.Paths[0]);
        BdfTimeline t = stream.Timeline;
        Assert.Equal("BDF+D", stream.Reader.Header.Reserved);
        Assert.True(stream.Reader.IsConsistent);
        Assert.Equal(new long[] { 0, 4000, 8000, 16000 }, t.RecordFirstSample);
        Assert.Equal(new[] { 0.123456m, 1.123456m, 2.123456m, 4.123456m }, t.RecordOnsets);
        Assert.Equal(new[] { new SampleRun(6000, 400, false), new SampleRun(10000, 6000, false) }, t.Runs);

        var texts = t.Annotations.Select(a => (a.Onset, a.Duration, a.Text)).ToList();
        Assert.Contains((0.123456m + 1.5m, (decimal?)0.1m, "Gap 400 samples"), texts);
        Assert.Contains((0.123456m + 2.5m, (decimal?)1.5m, "Gap 6000 samples"), texts);
        Assert.Contains((0.123456m + 6405 / 4000m, (decimal?)null, "Trigger 7"), texts);
        Assert.Contains((0.123456m + 2999 / 4000m, (decimal?)null, "stimulus on"), texts);

        // Every real sample once with its exact count; gap slots never surface as samples.
        var counts = new int[8];
        var indices = new List<long>();
        long mismatches = 0;
        int triggerAt = -1;
        while (stream.TryReadSample(counts, out long index, out int trigger))
        {
            indices.Add(index);
            if (trigger != 0) { Assert.Equal(7, trigger); triggerAt = (int)index; }
            for (int c = 0; c < 8; c++) if (counts[c] != VerifyCommand.Pattern(index, c)) mismatches++;
        }
        var expected = Enumerable.Range(0, 6000).Concat(Enumerable.Range(6400, 3600)).Concat(Enumerable.Range(16000, 4000)).Select(i => (long)i);
        Assert.Equal(expected, indices);
        Assert.Equal(0, mismatches);
        Assert.Equal(6405, triggerAt);

        var output = new StringWriter();
        Assert.Equal(0, VerifyCommand.Run(recording.Writer.Paths[0], checkPattern: true, output, new StringWriter()));
        string report = output.ToString();
        Assert.Contains("gap at sample 6000 (1.5 s): 400 samples", report);
        Assert.Contains("gap at sample 10000 (2.5 s): 6000 samples", report);
        Assert.Contains("first index 0, last index 19999", report);
    }

    [Fact]
    public void A_gap_filled_inside_its_record_keeps_the_file_continuous()
    {
        using var dir = new TempDirectory();
        using ActiveRecording recording = RecordWithGaps(dir, withTimeJump: false);
        using BdfReader reader = BdfReader.Open(recording.Writer.Paths[0]);
        Assert.Equal("BDF+C", reader.Header.Reserved);
        BdfTimeline t = reader.ScanTimeline();
        Assert.Equal(new long[] { 0, 4000, 8000 }, t.RecordFirstSample);
        // The last record holds 8000..10999 and 1000 slots of padding, annotated as such.
        Assert.Contains(new SampleRun(11000, 1000, true), t.Runs);
        Assert.Contains(t.Annotations, a => a.Text == "Padding 1000 samples" && a.Duration == 0.25m);
    }

    [Fact]
    public void A_frame_larger_than_a_buffer_block_and_a_gap_at_a_record_boundary_are_recorded_exactly()
    {
        using var dir = new TempDirectory();
        var frames = new PatternFrames(channels: 4, sampleRate: 1000, frameSamples: 250);
        using ActiveRecording recording = RecorderTestKit.Start(RecorderTestKit.Settings(dir.Path, formats: RecordingFormat.Bdf), frames);
        // Blocks hold 100 samples at 1 kSPS; 250-sample frames straddle them.
        frames.WriteRange(recording.Writer, 500, 2500);
        frames.WriteRange(recording.Writer, 3500, 4000, gapBefore: 1000);
        RecorderTestKit.StopAndCheck(recording);
        using BdfSampleStream stream = BdfSampleStream.Open(recording.Writer.Paths[0]);
        Assert.Equal(new long[] { 500, 1500, 3500 }, stream.Timeline.RecordFirstSample);
        Assert.Equal("BDF+D", stream.Reader.Header.Reserved);
        Assert.Equal(new[] { new SampleRun(2500, 1000, false), new SampleRun(4000, 500, true) }, stream.Timeline.Runs);
        var counts = new int[4];
        var indices = new List<long>();
        while (stream.TryReadSample(counts, out long index, out _))
        {
            indices.Add(index);
            for (int c = 0; c < 4; c++) Assert.Equal(VerifyCommand.Pattern(index, c), counts[c]);
        }
        Assert.Equal(Enumerable.Range(500, 2000).Concat(Enumerable.Range(3500, 500)).Select(i => (long)i), indices);
    }
}
