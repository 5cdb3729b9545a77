using Eeg.Shared.Frames;

namespace Eeg.Processing.Recording;

/// <summary>
/// After a crash of the processing node: finds the recording the crash cut, makes its header whole
/// (repair), and says up to which sample index it holds the stream, so the consumer delivers the
/// acquisition node's resent frames from the next index on and the two files hold every index once.
/// </summary>
public static class RecordingResume
{
    /// <summary>
    /// The last sample index of the newest BDF recording in <paramref name="directory"/> when it is
    /// of this stream (same start time, channels and rate); -1 otherwise. A cut file is repaired first.
    /// </summary>
    public static long LastHeldIndex(string directory, StreamDescription stream, TextWriter log)
    {
        if (!Directory.Exists(directory)) return -1;
        FileInfo? newest = new DirectoryInfo(directory).GetFiles("*.bdf").OrderByDescending(f => f.LastWriteTimeUtc).FirstOrDefault();
        if (newest is null) return -1;
        try
        {
            using (var reader = BdfReader.Open(newest.FullName))
            {
                if (!reader.IsConsistent)
                {
                    log.WriteLine($"recording {newest.Name} was cut (header {reader.HeaderRecordCount} records, {reader.RecordsOnDisk} on disk): repairing it");
                    reader.Dispose();
                    RepairCommand.Run(newest.FullName, TextWriter.Null, log);
                }
            }
            using BdfSampleStream samples = BdfSampleStream.Open(newest.FullName);
            BdfTimeline t = samples.Timeline;
            if (samples.ChannelCount != stream.ChannelCount || Math.Abs(t.SampleRate - stream.SampleRate) > 1e-9) return -1;
            double nsPerSample = 1e9 / stream.SampleRate;
            long streamStart = t.StartUnixNs - (long)(t.StartSampleIndex * nsPerSample);
            bool sameStream = Math.Abs(streamStart - stream.StartUnixNs) < 5_000_000 || Math.Abs(t.StartUnixNs - stream.StartUnixNs) < 5_000_000;
            if (!sameStream) return -1;
            Span<int> counts = stackalloc int[samples.ChannelCount];
            long last = -1;
            while (samples.TryReadSample(counts, out long index, out _)) last = index;
            if (last >= 0) log.WriteLine($"recording {newest.Name} holds the stream up to sample {last}: the new recording continues from {last + 1}");
            return last;
        }
        catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException)
        {
            log.WriteLine($"recording {newest.Name} could not be read to resume after it ({e.Message.ReplaceLineEndings(" ")}); starting afresh");
            return -1;
        }
    }
}
