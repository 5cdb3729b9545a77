using Akka.Actor;
using Akka.Event;
using Eeg.Pipeline.Sinks;
using Eeg.Pipeline.Slabs;
using Eeg.Shared.Frames;
using Eeg.Shared.Recording;
using Eeg.Shared.Stages;

namespace Eeg.Processing.Recording;

/// <summary>
/// The lossless recorder sink: starts and stops recordings on control messages and copies every
/// frame of a running recording into its <see cref="RecordingWriter"/>, whose own thread writes the
/// BDF+ and CSV files.
/// </summary>
/// <remarks>
/// Messages: <see cref="StartRecording"/> (answers <see cref="RecordingInfo"/> or
/// <see cref="RecordingRejected"/>), <see cref="StopRecording"/> (same), <see cref="AddMarker"/>
/// (annotation at the last recorded sample; answers <see cref="RecordingInfo"/> or rejected),
/// <see cref="GetRecordings"/> (answers <see cref="RecordingList"/>), <see cref="StageEvent"/>
/// (from the event stream: written as an annotation), <see cref="StreamDescription"/> and frames.
/// OnFrame allocates nothing: the copy into the writer's pre-allocated blocks is the only work.
/// </remarks>
public sealed class RecorderActor : FrameSinkActor
{
    private readonly RecorderSettings _settings;
    private readonly Func<string, Stream>? _openStream;
    private readonly Func<DateTime> _clock;
    private readonly List<ActiveRecording> _recordings = new();
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private ActiveRecording? _active;
    private StreamDescription? _activeStream;

    public RecorderActor(RecorderSettings settings, SinkCounters counters, Func<string, Stream>? openStream = null, Func<DateTime>? clock = null)
        : base(counters)
    {
        _settings = settings;
        _openStream = openStream;
        _clock = clock ?? (() => DateTime.UtcNow);
    }

    /// <summary>Props for the recorder; <paramref name="openStream"/> is for tests (null: files on disk).</summary>
    public static Props Props(RecorderSettings settings, SinkCounters counters, Func<string, Stream>? openStream = null) =>
        Akka.Actor.Props.Create(() => new RecorderActor(settings, counters, openStream, null));

    protected override void PreStart()
    {
        Context.System.EventStream.Subscribe(Self, typeof(StageEvent));
        base.PreStart();
    }

    protected override void PostStop()
    {
        Context.System.EventStream.Unsubscribe(Self);
        if (_active is not null)
        {
            _active.Writer.Stop(_settings.StallTimeout);
            _active = null;
        }
        base.PostStop();
    }

    protected override void OnFrame(Slab slab)
    {
        _active?.Writer.Write(slab);
    }

    protected override void OnStreamStarted(StreamDescription description)
    {
        if (_active is null)
        {
            // Auto-start: the description reaches the mailbox's control queue before the stream's
            // first frame, so the recording holds the stream from its first sample.
            if (_settings.AutoStart && Start(new StartRecording("auto", null)) is RecordingRejected rejected)
            {
                _log.Warning("Automatic recording did not start: {0}", rejected.Reason);
            }
            return;
        }
        // A stream with another shape cannot continue in the same files: end the recording cleanly.
        bool sameShape = _activeStream is not null
            && _activeStream.ChannelCount == description.ChannelCount
            && _activeStream.SampleRate == description.SampleRate
            && _activeStream.Gain == description.Gain
            && _activeStream.ReferenceVolts.Equals(description.ReferenceVolts);
        if (!sameShape)
        {
            _log.Warning("Recording {0} stopped: the stream changed shape ({1} ch at {2} SPS)", _active.Name, description.ChannelCount, description.SampleRate);
            StopActive();
        }
    }

    protected override void OnControl(object message)
    {
        switch (message)
        {
            case StartRecording start:
                Sender.Tell(Start(start));
                break;
            case StopRecording:
                Sender.Tell(_active is null ? new RecordingRejected("no recording is running") : StopActive());
                break;
            case AddMarker marker:
                if (_active is null)
                {
                    Sender.Tell(new RecordingRejected("no recording is running: the marker was not written"));
                    break;
                }
                _active.Writer.Annotate(Math.Max(_active.Writer.LastSampleIndex, 0), 0, marker.Text);
                Sender.Tell(_active.Info());
                break;
            case StageEvent stageEvent:
                _active?.Writer.Annotate(stageEvent.SampleIndex, 0,
                    stageEvent.Detail is null ? $"{stageEvent.Stage}: {stageEvent.Name}" : $"{stageEvent.Stage}: {stageEvent.Name} ({stageEvent.Detail})");
                break;
            case GetRecordings:
                Sender.Tell(new RecordingList(_recordings.Select(r => r.Info()).ToArray()));
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private object Start(StartRecording start)
    {
        if (!_settings.Enabled) return new RecordingRejected("the recorder is disabled (recorder.enabled = off)");
        if (_active is not null && _active.Writer.State == RecordingState.Failed)
        {
            // A failed recording takes no more samples: close what is left of it and start afresh.
            StopActive();
        }
        if (_active is not null) return new RecordingRejected($"already recording {_active.Name}: stop it first");
        if (Stream is null) return new RecordingRejected("no stream yet: the acquisition has not described its channels");
        try
        {
            Counters.ClearFailure();
            // Nothing is durable until the first checkpoint (see SinkCounters.DurableThrough).
            Counters.MarkDurableThrough(long.MinValue);
            _active = ActiveRecording.Start(_settings, Stream, start.Subject, start.Session, _clock(), Counters, _openStream);
            _activeStream = Stream;
            _recordings.Add(_active);
            _log.Info("Recording {0} started: {1}", _active.Name, string.Join(", ", _active.Writer.Paths));
            return _active.Info();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Eeg.Pipeline.Configuration.ConfigException)
        {
            Counters.MarkDurableThrough(long.MaxValue);
            return new RecordingRejected($"cannot start a recording in {_settings.Directory}: {e.Message.ReplaceLineEndings(" ")}");
        }
    }

    private RecordingInfo StopActive()
    {
        ActiveRecording recording = _active!;
        _active = null;
        _activeStream = null;
        // Bounded: the writer drains what is buffered; a disk that does not move is a failure after the stall timeout.
        if (!recording.Writer.Stop(_settings.StallTimeout + _settings.StallTimeout))
        {
            _log.Warning("Recording {0}: files not closed within {1}; state {2}", recording.Name, _settings.StallTimeout, recording.Writer.State);
        }
        Counters.MarkDurableThrough(long.MaxValue);
        RecordingInfo info = recording.Info();
        _log.Info("Recording {0} {1}: {2:0.###} s, {3} bytes{4}", recording.Name, info.State, info.DurationSeconds, info.SizeBytes,
            info.FailureReason is null ? "" : ", " + info.FailureReason);
        return info;
    }
}
