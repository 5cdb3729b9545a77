using System.Diagnostics;
using Eeg.Processing.Recording;

namespace Eeg.Tests.Processing.Node.Recording;

/// <summary>A recording process killed with SIGKILL (Process.Kill), then read back as a lab would.</summary>
public sealed class RecordingKillTests
{
    private static string RecordAndKill(TempDirectory dir, string mode)
    {
        string assembly = typeof(CrashChild).Assembly.Location;
        var info = new ProcessStartInfo("dotnet", $"\"{assembly}\" record-then-wait \"{dir.Path}\" {mode}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using Process child = Process.Start(info)!;
        Task<string?> line = child.StandardOutput.ReadLineAsync();
        if (!line.Wait(TimeSpan.FromSeconds(120)))
        {
            child.Kill(entireProcessTree: true);
            Assert.Fail("the recording child never reported ready: " + child.StandardError.ReadToEnd());
        }
        string? ready = line.Result;
        child.Kill(entireProcessTree: true); // SIGKILL: no finally blocks, no Stop, no Close
        child.WaitForExit();
        Assert.True(ready is not null && ready.StartsWith("ready ", StringComparison.Ordinal), $"child said '{ready}': {child.StandardError.ReadToEnd()}");
        return ready!["ready ".Length..];
    }

    [Fact]
    public void A_recording_killed_after_a_checkpoint_reads_back_to_its_last_complete_record_without_repair()
    {
        using var dir = new TempDirectory();
        string path = RecordAndKill(dir, "current");
        using (BdfReader reader = BdfReader.Open(path))
        {
            Assert.True(reader.IsConsistent, $"header {reader.HeaderRecordCount}, on disk {reader.RecordsOnDisk}, trailing {reader.TrailingBytes}");
            Assert.Equal(3, reader.RecordsOnDisk);
        }
        var output = new StringWriter();
        Assert.Equal(0, VerifyCommand.Run(path, checkPattern: true, output, new StringWriter()));
        Assert.Contains("samples: 12000 per channel, first index 0, last index 11999", output.ToString());
    }

    [Fact]
    public void A_recording_killed_between_checkpoints_reads_back_to_its_last_complete_record_after_repair()
    {
        using var dir = new TempDirectory();
        string path = RecordAndKill(dir, "stale");
        Assert.Equal(1, VerifyCommand.Run(path, checkPattern: true, new StringWriter(), new StringWriter()));
        var repair = new StringWriter();
        Assert.Equal(0, RepairCommand.Run(path, repair, new StringWriter()));
        Assert.Contains("3 complete records (header said 0)", repair.ToString());
        var output = new StringWriter();
        Assert.Equal(0, VerifyCommand.Run(path, checkPattern: true, output, new StringWriter()));
        Assert.Contains("samples: 12000 per channel, first index 0, last index 11999", output.ToString());
    }
}
