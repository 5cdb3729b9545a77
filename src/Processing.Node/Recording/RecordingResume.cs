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
    /// of this stream (the same run of the acquisition node, channels and rate); -1 otherwise. A cut
    /// file is repaired first.
    /// </summary>
    public static long LastHeldIndex(string directory, StreamDescription stream, TextWriter log)
    {
        // The stream's identity is its start time on the acquisition node (constant for a run, exact):
        // noted beside the recordings, so that a file of an earlier stream (acquisition restarted, its
        // indexes from 0 again) is never taken for this one. Sample times are no substitute: they come
        // from DRDY ticks and wandered 4.6 s from index x period on a loaded machine.
        string marker = Path.Combine(directory, ".stream-start");
        string? previous = File.Exists(marker) ? File.ReadAllText(marker).Trim() : null;
        string current = stream.StartUnixNs.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Directory.CreateDirectory(directory);
        File.WriteAllText(marker, current);
        if (previous != current) return -1;
        return LastIndexOfNewest(directory, stream, log);
    }

    private static long LastIndexOfNewest(string directory, StreamDescription stream, TextWriter log)
    {
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
            if (samples.ChannelCount != stream.ChannelCount || Math.Abs(t.SampleRate - stream.SampleRate) > 1e-9)
            {
                log.WriteLine($"recording {newest.Name} has another shape ({samples.ChannelCount} ch at {t.SampleRate} SPS): starting afresh");
                return -1;
            }
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
