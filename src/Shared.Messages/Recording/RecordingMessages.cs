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
