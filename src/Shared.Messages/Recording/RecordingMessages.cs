namespace Eeg.Shared.Recording;

/// <summary>Starts a recording. Subject and session go into the file name and the BDF header.</summary>
public sealed record StartRecording(string? Subject, string? Session);

/// <summary>Stops the current recording: flushes and closes its files.</summary>
public sealed record StopRecording
{
    public static StopRecording Instance { get; } = new();
    private StopRecording() { }
}

/// <summary>A user's marker, written as an annotation at the current sample.</summary>
public sealed record AddMarker(string Text);

/// <summary>Where a recording is: running, stopped normally, or failed (disk full, I/O error, stall).</summary>
public enum RecordingState { Recording, Stopped, Failed }

/// <summary>Asks the recorder for every recording of this run; answered with a <see cref="RecordingList"/>.</summary>
public sealed record GetRecordings
{
    public static GetRecordings Instance { get; } = new();
    private GetRecordings() { }
}

/// <summary>One recording as the recorder reports it (GET /recordings, the answer to StartRecording and StopRecording).</summary>
/// <param name="Name">The file name without extension.</param>
/// <param name="Files">Full paths of its files, one per format.</param>
/// <param name="Formats">"bdf", "csv", in the order of <paramref name="Files"/>.</param>
/// <param name="StartUtc">Time of the first sample (UTC); null until the first frame arrived.</param>
/// <param name="DurationSeconds">Samples recorded divided by the sample rate (gaps excluded).</param>
/// <param name="SizeBytes">Bytes written so far over all files.</param>
/// <param name="State">Recording, stopped or failed.</param>
/// <param name="FailureReason">Why it failed (one line), or null.</param>
/// <param name="FirstSampleIndex">Stream sample index of the first recorded sample (-1 before the first frame).</param>
/// <param name="Samples">Samples per channel accepted into the recording.</param>
/// <param name="GapSamples">Samples lost upstream during the recording (annotated as gaps in the file).</param>
/// <param name="BlockedSeconds">Time the fan-out waited on this recording's full buffer.</param>
public sealed record RecordingInfo(
    string Name,
    IReadOnlyList<string> Files,
    IReadOnlyList<string> Formats,
    DateTime? StartUtc,
    double DurationSeconds,
    long SizeBytes,
    RecordingState State,
    string? FailureReason,
    long FirstSampleIndex,
    long Samples,
    long GapSamples,
    double BlockedSeconds);

/// <summary>The answer to <see cref="GetRecordings"/>: this run's recordings, oldest first.</summary>
public sealed record RecordingList(IReadOnlyList<RecordingInfo> Recordings);

/// <summary>The answer to a StartRecording or StopRecording that could not be done, with the reason in one line.</summary>
public sealed record RecordingRejected(string Reason);
