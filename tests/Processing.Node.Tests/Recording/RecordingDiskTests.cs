using Eeg.Processing.Recording;
using Eeg.Shared.Recording;

namespace Eeg.Tests.Processing.Node.Recording;

public sealed class RecordingDiskTests
{
    [Fact]
    public void Recorder_keeps_every_sample_when_the_disk_stalls_for_two_seconds()
    {
        using var dir = new TempDirectory();
        var frames = new PatternFrames(channels: 32, sampleRate: 4000, frameSamples: 1);
        var counters = RecorderTestKit.Counters();
        var gates = new List<GateStream>();
        Stream Open(string path)
        {
            var gate = new GateStream(ActiveRecording.OpenFile(path));
            lock (gates) gates.Add(gate);
            return gate;
        }
        // The smallest buffer the settings allow (3 s) against a 2 s stall.
        using ActiveRecording recording = RecorderTestKit.Start(RecorderTestKit.Settings(dir.Path, bufferSeconds: 3), frames, counters, Open);

        // Two seconds of 1-sample frames arrive while the disk does not move (the writer is stuck in its first write).
        frames.WriteRange(recording.Writer, 0, 8000);
        Assert.True(gates[0].EnteredStall.Wait(TimeSpan.FromSeconds(30)), "the writer never reached the stalled disk");
        Assert.Equal(0, recording.Writer.BlockedCount);
        Assert.Equal(TimeSpan.Zero, counters.Blocked);

        // The disk comes back; two more seconds; stop.
        foreach (GateStream gate in gates) gate.Open();
        frames.WriteRange(recording.Writer, 8000, 16000);
        RecorderTestKit.StopAndCheck(recording);

        Assert.Equal(RecordingState.Stopped, recording.Writer.State);
        Assert.Equal(16000, recording.Writer.Samples);
        Assert.Equal(0, recording.Writer.DroppedFrames);
        Assert.Equal(0, counters.Dropped);
        Assert.False(counters.Failed);
        Assert.Equal(0, VerifyCommand.Run(recording.Writer.Paths[0], true, new StringWriter(), new StringWriter()));
        var (_, _, rows) = RecorderTestKit.ReadCsv(recording.Writer.Paths[1]);
        Assert.Equal(Enumerable.Range(0, 16000).Select(i => (long)i), rows.Select(r => r.Index));
    }

    [Fact]
    public void At_real_time_rate_a_two_second_disk_pause_never_makes_the_caller_wait()
    {
        using var dir = new TempDirectory();
        var frames = new PatternFrames(channels: 32, sampleRate: 4000, frameSamples: 1);
        var counters = RecorderTestKit.Counters();
        var streams = new List<SlowOnceStream>();
        // A 3 s buffer, a 2 s pause, 6 s of samples: more than the buffer holds, so the writer must catch up after the pause.
        using ActiveRecording recording = RecorderTestKit.Start(RecorderTestKit.Settings(dir.Path, 3, 2, RecordingFormat.Bdf), frames, counters, path =>
        {
            var s = new SlowOnceStream(ActiveRecording.OpenFile(path), TimeSpan.FromSeconds(2));
            lock (streams) streams.Add(s);
            return s;
        });

        // 1-sample frames paced at 4000 per second (the test's driver waits for each 10 ms deadline).
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (long i = 0; i < 24000; i += 40)
        {
            TimeSpan due = TimeSpan.FromSeconds(i / 4000.0);
            if (clock.Elapsed < due) Thread.Sleep(due - clock.Elapsed);
            frames.WriteRange(recording.Writer, i, i + 40);
        }
        RecorderTestKit.StopAndCheck(recording);

        Assert.True(Assert.Single(streams).Stalled);
        Assert.Equal(0, recording.Writer.BlockedCount);
        Assert.Equal(TimeSpan.Zero, counters.Blocked);
        Assert.Equal(24000, recording.Writer.Samples);
        Assert.Equal(0, VerifyCommand.Run(recording.Writer.Paths[0], true, new StringWriter(), new StringWriter()));
    }

    [Fact]
    public void A_disk_that_never_comes_back_fails_the_recording_after_the_buffer_and_the_stall_timeout_and_never_blocks_again()
    {
        using var dir = new TempDirectory();
        var frames = new PatternFrames(channels: 8, sampleRate: 4000, frameSamples: 1);
        var counters = RecorderTestKit.Counters();
        GateStream? gate = null;
        using ActiveRecording recording = RecorderTestKit.Start(
            RecorderTestKit.Settings(dir.Path, bufferSeconds: 3, stallSeconds: 0.3, RecordingFormat.Bdf), frames, counters,
            path => gate = new GateStream(ActiveRecording.OpenFile(path)));
        RecordingWriter w = recording.Writer;

        frames.WriteRange(w, 0, 5 * 4000);

        // The buffer took exactly its capacity (the block the writer holds + 3 s), the caller waited once, then gave up.
        Assert.Equal(w.BufferSamples + w.BlockSamples, w.Samples);
        Assert.Equal(1, w.BlockedCount);
        Assert.Equal(RecordingState.Failed, w.State);
        Assert.StartsWith("disk stalled: no buffer block was freed for 0.3 s with 3 s of samples buffered", w.FailureReason);
        Assert.Equal(w.FailureReason, counters.FailureReason);
        Assert.Equal(20000 - w.Samples, w.DroppedFrames); // every later 1-sample frame, the one that hit the timeout included
        Assert.Equal(w.DroppedFrames, counters.Dropped);
        // Stop does not wait for a disk that is gone.
        Assert.False(w.Stop(TimeSpan.Zero));

        // When the disk returns, the writer closes the file up to its last complete record.
        gate!.Open();
        Assert.True(w.Stop(TimeSpan.FromSeconds(30)));
        using BdfReader reader = BdfReader.Open(w.Paths[0]);
        Assert.True(reader.IsConsistent);
    }

    [Fact]
    public void A_disk_that_fills_up_marks_the_recording_failed_with_the_reason_and_keeps_its_complete_records()
    {
        using var dir = new TempDirectory();
        var frames = new PatternFrames(channels: 8, sampleRate: 4000, frameSamples: 10);
        var counters = RecorderTestKit.Counters();
        long recordBytes = 8 * 4000 * 3 + BdfWriter.AnnotationSamples * 3;
        using ActiveRecording recording = RecorderTestKit.Start(
            RecorderTestKit.Settings(dir.Path, formats: RecordingFormat.Bdf), frames, counters,
            path => new FullDiskStream(ActiveRecording.OpenFile(path), 2560 + 2 * recordBytes + 50_000));
        RecordingWriter w = recording.Writer;

        // The caller (the fan-out) never sees an exception: frames after the failure are refused and counted.
        frames.WriteRange(w, 0, 6 * 4000);
        Assert.True(w.Stop(TimeSpan.FromSeconds(30)));

        Assert.Equal(RecordingState.Failed, w.State);
        Assert.StartsWith($"disk full writing {w.Paths[0]}: No space left on device", w.FailureReason);
        Assert.True(counters.Failed);
        Assert.Equal(w.FailureReason, counters.FailureReason);
        Assert.Equal(24000, w.Samples + 10 * w.DroppedFrames);

        using (BdfReader reader = BdfReader.Open(w.Paths[0]))
        {
            Assert.True(reader.IsConsistent, $"header {reader.HeaderRecordCount}, on disk {reader.RecordsOnDisk}, trailing {reader.TrailingBytes}");
            Assert.Equal(2, reader.RecordsOnDisk);
        }
        Assert.Equal(0, VerifyCommand.Run(w.Paths[0], true, new StringWriter(), new StringWriter()));
    }
}
