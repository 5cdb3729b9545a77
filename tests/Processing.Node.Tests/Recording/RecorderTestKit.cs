using System.Globalization;
using Eeg.Pipeline.Configuration;
using Eeg.Pipeline.Sinks;
using Eeg.Processing.Recording;

namespace Eeg.Tests.Processing.Node.Recording;

/// <summary>Shared set-up: a recording of pattern frames in a temporary folder.</summary>
internal static class RecorderTestKit
{
    public static readonly DateTime Now = new(2026, 11, 27, 8, 30, 0, DateTimeKind.Utc);

    public static RecorderSettings Settings(string directory, double bufferSeconds = 4, double stallSeconds = 2, params RecordingFormat[] formats) =>
        RecorderSettings.Default with
        {
            Directory = directory,
            Formats = formats.Length == 0 ? new[] { RecordingFormat.Bdf, RecordingFormat.Csv } : formats,
            BufferSeconds = bufferSeconds,
            StallTimeout = TimeSpan.FromSeconds(stallSeconds),
            CheckpointInterval = TimeSpan.FromMilliseconds(200),
        };

    public static SinkCounters Counters() => new("recorder", SinkPolicy.Lossless, 1);

    public static ActiveRecording Start(RecorderSettings settings, PatternFrames frames, SinkCounters? counters = null, Func<string, Stream>? open = null,
        string subject = "S01", string session = "ses-1") =>
        ActiveRecording.Start(settings, frames.Description, subject, session, Now, counters, open);

    public static void StopAndCheck(ActiveRecording recording)
    {
        Assert.True(recording.Writer.Stop(TimeSpan.FromSeconds(60)), "the writer thread did not finish within 60 s");
        Assert.True(recording.Writer.Finished);
    }

    /// <summary>Reads a CSV written by the recorder: (comment, header names, rows of index + floats).</summary>
    public static (string Comment, string[] Names, List<(long Index, decimal Time, float[] Values)> Rows) ReadCsv(string path)
    {
        string[] lines = File.ReadAllLines(path);
        string[] header = lines[1].Split(',');
        var rows = new List<(long, decimal, float[])>(lines.Length);
        for (int i = 2; i < lines.Length; i++)
        {
            string[] cells = lines[i].Split(',');
            var values = new float[cells.Length - 2];
            for (int c = 0; c < values.Length; c++) values[c] = float.Parse(cells[c + 2], CultureInfo.InvariantCulture);
            rows.Add((long.Parse(cells[0], CultureInfo.InvariantCulture), decimal.Parse(cells[1], CultureInfo.InvariantCulture), values));
        }
        return (lines[0], header, rows);
    }
}
