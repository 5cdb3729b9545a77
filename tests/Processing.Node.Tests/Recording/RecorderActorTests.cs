using Akka.Actor;
using Akka.TestKit.Xunit2;
using Eeg.Pipeline.Slabs;
using Eeg.Processing.Recording;
using Eeg.Shared.Frames;
using Eeg.Shared.Recording;
using Eeg.Shared.Stages;

namespace Eeg.Tests.Processing.Node.Recording;

public sealed class RecorderActorTests : TestKit
{
    private static Slab Frame(PatternFrames frames, long first, int samples)
    {
        // A fresh slab per message: frames cross the mailbox asynchronously, as from the fan-out.
        var slab = new Slab(frames.Channels, samples);
        slab.SetReferences(1);
        frames.Fill(slab, first, samples);
        return slab;
    }

    [Fact]
    public void Recorder_starts_records_marks_stops_and_lists_its_recordings()
    {
        using var dir = new TempDirectory();
        var frames = new PatternFrames(channels: 8, sampleRate: 1000, frameSamples: 50);
        var counters = RecorderTestKit.Counters();
        IActorRef recorder = Sys.ActorOf(RecorderActor.Props(RecorderTestKit.Settings(dir.Path), counters));

        recorder.Tell(new StartRecording("S01", "a"));
        Assert.Equal("no stream yet: the acquisition has not described its channels", ExpectMsg<RecordingRejected>().Reason);

        recorder.Tell(frames.Description);
        recorder.Tell(new StartRecording("S01", "a"));
        RecordingInfo started = ExpectMsg<RecordingInfo>();
        Assert.Equal(RecordingState.Recording, started.State);
        Assert.Equal(new[] { "bdf", "csv" }, started.Formats);

        recorder.Tell(new StartRecording("S02", null));
        Assert.StartsWith("already recording", ExpectMsg<RecordingRejected>().Reason);

        for (long i = 1000; i < 2000; i += 50) recorder.Tell(Frame(frames, i, 50));
        recorder.Tell(new AddMarker("eyes closed"));
        ExpectMsg<RecordingInfo>();
        Sys.EventStream.Publish(new StageEvent("blinks", "blink", 1500, null));
        for (long i = 2000; i < 3000; i += 50) recorder.Tell(Frame(frames, i, 50));

        recorder.Tell(StopRecording.Instance);
        RecordingInfo stopped = ExpectMsg<RecordingInfo>(TimeSpan.FromSeconds(30));
        Assert.Equal(RecordingState.Stopped, stopped.State);
        Assert.Equal(2000, stopped.Samples);
        Assert.Equal(1000, stopped.FirstSampleIndex);
        Assert.Equal(2.0, stopped.DurationSeconds);
        Assert.Equal(stopped.Files.Sum(f => new FileInfo(f).Length), stopped.SizeBytes);

        recorder.Tell(StopRecording.Instance);
        Assert.Equal("no recording is running", ExpectMsg<RecordingRejected>().Reason);
        recorder.Tell(GetRecordings.Instance);
        RecordingList list = ExpectMsg<RecordingList>();
        Assert.Equal(stopped.Name, Assert.Single(list.Recordings).Name);

        using BdfReader reader = BdfReader.Open(stopped.Files[0]);
        BdfTimeline t = reader.ScanTimeline();
        Assert.Contains(t.Annotations, a => a.Text == "eyes closed" && a.Onset == t.SubsecondOnset + 0.999m);
        Assert.Contains(t.Annotations, a => a.Text == "blinks: blink" && a.Onset == t.SubsecondOnset + 0.5m);
        Assert.Equal(0, VerifyCommand.Run(stopped.Files[0], true, new StringWriter(), new StringWriter()));
        Assert.Equal(40, counters.Delivered);
    }

    [Fact]
    public void A_recording_that_cannot_create_its_files_is_rejected_with_one_line()
    {
        using var dir = new TempDirectory();
        var frames = new PatternFrames(channels: 8, sampleRate: 1000, frameSamples: 50);
        IActorRef recorder = Sys.ActorOf(RecorderActor.Props(RecorderTestKit.Settings(dir.Path), RecorderTestKit.Counters(),
            path => throw new IOException($"Permission denied: '{path}'")));
        recorder.Tell(frames.Description);
        recorder.Tell(new StartRecording("S01", null));
        string reason = ExpectMsg<RecordingRejected>().Reason;
        Assert.StartsWith($"cannot start a recording in {dir.Path}: Permission denied", reason);
        Assert.DoesNotContain('\n', reason);
    }

    [Fact]
    public void A_failed_recording_shows_as_failed_with_its_reason_while_frames_keep_flowing()
    {
        using var dir = new TempDirectory();
        var frames = new PatternFrames(channels: 8, sampleRate: 1000, frameSamples: 50);
        var counters = RecorderTestKit.Counters();
        IActorRef recorder = Sys.ActorOf(RecorderActor.Props(RecorderTestKit.Settings(dir.Path, formats: RecordingFormat.Bdf), counters,
            path => new FullDiskStream(ActiveRecording.OpenFile(path), 10_000)));
        recorder.Tell(frames.Description);
        recorder.Tell(new StartRecording(null, null));
        ExpectMsg<RecordingInfo>();
        for (long i = 0; i < 5000; i += 50) recorder.Tell(Frame(frames, i, 50));
        recorder.Tell(StopRecording.Instance);
        RecordingInfo info = ExpectMsg<RecordingInfo>(TimeSpan.FromSeconds(30));
        Assert.Equal(RecordingState.Failed, info.State);
        Assert.StartsWith("disk full writing", info.FailureReason);
        Assert.True(counters.Failed);
        Assert.Equal(100, counters.Delivered); // every frame still reached the sink and went back to its pool
    }

    [Fact]
    public void A_new_recording_can_start_after_one_failed_without_a_stop()
    {
        using var dir = new TempDirectory();
        var frames = new PatternFrames(channels: 8, sampleRate: 1000, frameSamples: 50);
        var counters = RecorderTestKit.Counters();
        int opened = 0;
        IActorRef recorder = Sys.ActorOf(RecorderActor.Props(RecorderTestKit.Settings(dir.Path, formats: RecordingFormat.Bdf), counters,
            path => Interlocked.Increment(ref opened) == 1 ? new FullDiskStream(ActiveRecording.OpenFile(path), 10_000) : ActiveRecording.OpenFile(path)));
        recorder.Tell(frames.Description);
        recorder.Tell(new StartRecording("S01", null));
        ExpectMsg<RecordingInfo>();
        for (long i = 0; i < 5000; i += 50) recorder.Tell(Frame(frames, i, 50));
        AwaitAssert(() => Assert.True(counters.Failed), TimeSpan.FromSeconds(30));

        recorder.Tell(new StartRecording("S01", "retry"));
        RecordingInfo second = ExpectMsg<RecordingInfo>(TimeSpan.FromSeconds(30));
        Assert.Equal(RecordingState.Recording, second.State);
        Assert.False(counters.Failed); // a new recording clears the sink's failure
        recorder.Tell(GetRecordings.Instance);
        var states = ExpectMsg<RecordingList>().Recordings.Select(r => r.State).ToArray();
        Assert.Equal(new[] { RecordingState.Failed, RecordingState.Recording }, states);
    }
}
