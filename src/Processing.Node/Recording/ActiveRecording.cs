using Eeg.Pipeline.Sinks;
using Eeg.Shared.Frames;
using Eeg.Shared.Recording;

namespace Eeg.Processing.Recording;

/// <summary>One recording: its files and the writer that fills them.</summary>
public sealed class ActiveRecording : IDisposable
{
    private ActiveRecording(string name, RecordingWriter writer, int sampleRate)
    {
        Name = name;
        Writer = writer;
        SampleRate = sampleRate;
    }

    public string Name { get; }
    public RecordingWriter Writer { get; }
    public int SampleRate { get; }

    /// <summary>
    /// Creates the files of a recording in <see cref="RecorderSettings.Directory"/> and starts its
    /// writer thread. <paramref name="openStream"/> opens each file (tests pass stalling or throwing
    /// streams); null opens a new file on disk. Throws IOException when a file cannot be created.
    /// </summary>
    public static ActiveRecording Start(
        RecorderSettings settings,
        StreamDescription stream,
        string? subject,
        string? session,
        DateTime nowUtc,
        SinkCounters? counters = null,
        Func<string, Stream>? openStream = null)
    {
        openStream ??= OpenFile;
        Directory.CreateDirectory(settings.Directory);
        string baseName = settings.FileName(nowUtc, subject, session);
        string name = baseName;
        for (int n = 2; settings.Formats.Any(f => File.Exists(PathFor(settings, name, f))); n++) name = $"{baseName}-{n}";

        RecordingMetadata meta = RecordingMetadata.From(stream, subject, session, settings.RecordDuration.TotalSeconds) with
        {
            RecordSamples = settings.RecordSamples(stream.SampleRate),
        };
        var formats = new List<IRecordingFormatWriter>();
        try
        {
            foreach (RecordingFormat format in settings.Formats)
            {
                string path = PathFor(settings, name, format);
                Stream s = openStream(path);
                formats.Add(format == RecordingFormat.Bdf ? new BdfWriter(path, s, meta) : new CsvWriter(path, s, meta));
            }
        }
        catch
        {
            foreach (IRecordingFormatWriter f in formats) f.Dispose();
            throw;
        }
        var options = new RecordingWriterOptions(stream.ChannelCount, stream.SampleRate, settings.BufferSeconds,
            settings.StallTimeout, settings.CheckpointInterval, Math.Max(stream.SampleRate / 10, 1));
        return new ActiveRecording(name, new RecordingWriter(options, formats, counters), stream.SampleRate);
    }

    public static string PathFor(RecorderSettings settings, string name, RecordingFormat format) =>
        Path.Combine(settings.Directory, name + (format == RecordingFormat.Bdf ? ".bdf" : ".csv"));

    /// <summary>
    /// Opens a new file for writing: FileMode.CreateNew never overwrites a recording, and no FileStream
    /// buffer (bufferSize 0) because both writers hand it large buffers of their own (a 384 kB BDF
    /// record, 64 kB of CSV rows): a second buffer would only add a copy.
    /// </summary>
    public static Stream OpenFile(string path) =>
        new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read, bufferSize: 0);

    public RecordingInfo Info()
    {
        long unixNs = Writer.FirstSampleUnixNs;
        DateTime? start = Writer.FirstSampleIndex < 0 ? null : DateTime.UnixEpoch.AddTicks(unixNs / 100);
        return new RecordingInfo(Name, Writer.Paths, Writer.Formats, start, (double)Writer.Samples / SampleRate, Writer.Bytes,
            Writer.State, Writer.FailureReason, Writer.FirstSampleIndex, Writer.Samples, Writer.GapSamples, Writer.Blocked.TotalSeconds);
    }

    public void Dispose() => Writer.Dispose();
}
