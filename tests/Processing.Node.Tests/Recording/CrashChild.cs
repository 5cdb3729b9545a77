using Eeg.Processing.Recording;
using Eeg.Shared.Frames;

namespace Eeg.Tests.Processing.Node.Recording;

/// <summary>
/// The entry point of this test assembly when run as a process (<c>dotnet Processing.Node.Tests.dll
/// record-then-wait &lt;dir&gt; &lt;current|stale&gt;</c>): records 3.5 s of the pattern signal with the real
/// recorder, prints "ready &lt;bdf path&gt;" once the complete records are on disk, and waits to be killed.
/// "current" checkpoints every 100 ms (the header counts every record on disk); "stale" never
/// checkpoints after the start (the header still says 0 records), as when power fails between checkpoints.
/// The test host itself never calls Main.
/// </summary>
public static class CrashChild
{
    public static int Main(string[] args)
    {
        if (args.Length != 3 || args[0] != "record-then-wait")
        {
            Console.Error.WriteLine("usage: Processing.Node.Tests.dll record-then-wait <dir> <current|stale>");
            return 2;
        }
        bool current = args[2] == "current";
        var frames = new PatternFrames(channels: 8, sampleRate: 4000, frameSamples: 10);
        RecorderSettings settings = RecorderTestKit.Settings(args[1], formats: RecordingFormat.Bdf) with
        {
            CheckpointInterval = current ? TimeSpan.FromMilliseconds(100) : TimeSpan.FromMinutes(1),
        };
        ActiveRecording recording = ActiveRecording.Start(settings, frames.Description, "S01", "crash", RecorderTestKit.Now);
        frames.WriteRange(recording.Writer, 0, 14000);
        long complete = 256 + 256 * 9 + 3L * (8 * 4000 * 3 + BdfWriter.AnnotationSamples * 3);
        string path = recording.Writer.Paths[0];
        var deadline = DateTime.UtcNow.AddSeconds(60);
        // Wait (this is a test child, not a data path) until the 3 complete records are on disk and,
        // in "current" mode, a checkpoint has counted them.
        while (DateTime.UtcNow < deadline && !(new FileInfo(path).Length >= complete && (!current || HeaderCount(path) == 3)))
        {
            Thread.Sleep(20);
        }
        Console.Out.WriteLine($"ready {path}");
        Console.Out.Flush();
        Thread.Sleep(Timeout.Infinite);
        return 0;
    }

    private static long HeaderCount(string path)
    {
        using var f = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var field = new byte[8];
        f.Position = BdfHeader.RecordCountOffset;
        f.ReadExactly(field);
        return long.Parse(System.Text.Encoding.ASCII.GetString(field).Trim());
    }
}
