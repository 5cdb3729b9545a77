using System.Text;
using Eeg.Processing.Recording;

namespace Eeg.Tests.Processing.Node.Recording;

public sealed class RecordingCrashTests
{
    /// <summary>
    /// What a kill -9 or a power cut leaves: the first <paramref name="completeRecords"/> records, part of the
    /// next one, and a header count from the last checkpoint (<paramref name="headerCount"/>).
    /// </summary>
    internal static string CutRecording(TempDirectory dir, int completeRecords, long headerCount, int extraBytes)
    {
        var frames = new PatternFrames(channels: 8, sampleRate: 4000, frameSamples: 10);
        string whole;
        using (ActiveRecording recording = RecorderTestKit.Start(RecorderTestKit.Settings(dir.Path, formats: RecordingFormat.Bdf), frames))
        {
            frames.WriteRange(recording.Writer, 0, 5 * 4000);
            RecorderTestKit.StopAndCheck(recording);
            whole = recording.Writer.Paths[0];
        }
        byte[] bytes = File.ReadAllBytes(whole);
        long recordBytes = 8 * 4000 * 3 + BdfWriter.AnnotationSamples * 3;
        int keep = checked((int)(256 + 256 * 9 + completeRecords * recordBytes + extraBytes));
        byte[] cut = bytes[..keep];
        Encoding.ASCII.GetBytes(headerCount.ToString().PadRight(8)).CopyTo(cut, BdfHeader.RecordCountOffset);
        string path = dir.File("cut.bdf");
        File.WriteAllBytes(path, cut);
        return path;
    }

    [Fact]
    public void A_recording_cut_mid_record_verifies_as_damaged_and_reads_to_its_last_complete_record_after_repair()
    {
        using var dir = new TempDirectory();
        string cut = CutRecording(dir, completeRecords: 3, headerCount: 2, extraBytes: 12345);

        var output = new StringWriter();
        Assert.Equal(1, VerifyCommand.Run(cut, checkPattern: true, output, new StringWriter()));
        Assert.Contains("damaged: truncated: the last record is cut (12345 of 97920 bytes); run repair", output.ToString());
        Assert.Contains("damaged: header record count 2 does not match the 3 complete records; run repair", output.ToString());

        var repairOutput = new StringWriter();
        Assert.Equal(0, RepairCommand.Run(cut, repairOutput, new StringWriter()));
        Assert.Contains("3 complete records (header said 2), removed 12345 bytes of a partial record", repairOutput.ToString());

        using (BdfReader reader = BdfReader.Open(cut))
        {
            Assert.True(reader.IsConsistent);
            Assert.Equal(3, reader.HeaderRecordCount);
        }
        var verified = new StringWriter();
        Assert.Equal(0, VerifyCommand.Run(cut, checkPattern: true, verified, new StringWriter()));
        Assert.Contains("samples: 12000 per channel, first index 0, last index 11999", verified.ToString());
        Assert.Contains("pattern: every value of 12000 samples x 8 channels matches", verified.ToString());

        var again = new StringWriter();
        Assert.Equal(0, RepairCommand.Run(cut, again, new StringWriter()));
        Assert.Contains("nothing to do", again.ToString());
    }

    [Fact]
    public void A_file_cut_right_after_a_checkpoint_reads_without_repair()
    {
        using var dir = new TempDirectory();
        string path = dir.File("live.bdf");
        var meta = new RecordingMetadata(Eeg.Shared.Frames.StreamDescription.DefaultChannelNames(8), 4000, 24, 4.5, "S1", null, "simulated", "", 4000, 0);
        var writer = new BdfWriter(path, ActiveRecording.OpenFile(path), meta);
        var block = new FrameBlock(8, 500);
        for (long first = 0; first < 14000; first += 500)
        {
            block.Reset();
            block.FirstSampleIndex = first;
            block.FirstSampleUnixNs = PatternFrames.StartUnixNs + first * 250_000;
            block.SampleCount = 500;
            for (int s = 0; s < 500; s++) for (int c = 0; c < 8; c++) block.Counts[s * 8 + c] = VerifyCommand.Pattern(first + s, c);
            writer.Write(block);
        }
        writer.Checkpoint();
        // The process dies here (3.5 records written by the writer, 3 on disk, header current): copy what is on disk.
        string snapshot = dir.File("snapshot.bdf");
        File.Copy(path, snapshot);
        writer.Dispose();

        using (BdfReader reader = BdfReader.Open(snapshot))
        {
            Assert.True(reader.IsConsistent);
            Assert.Equal(3, reader.HeaderRecordCount);
        }
        var output = new StringWriter();
        Assert.Equal(0, VerifyCommand.Run(snapshot, checkPattern: true, output, new StringWriter()));
        Assert.Contains("first index 0, last index 11999", output.ToString());
    }

    [Fact]
    public void A_header_count_of_minus_one_is_read_from_the_file_length_and_fixed_by_repair()
    {
        using var dir = new TempDirectory();
        string cut = CutRecording(dir, completeRecords: 4, headerCount: -1, extraBytes: 0);
        using (BdfReader reader = BdfReader.Open(cut))
        {
            Assert.Equal(-1, reader.HeaderRecordCount);
            Assert.Equal(4, reader.RecordsOnDisk);
            Assert.Equal(0, reader.TrailingBytes);
        }
        using (BdfSampleStream stream = BdfSampleStream.Open(cut))
        {
            var counts = new int[8];
            long n = 0;
            while (stream.TryReadSample(counts, out _, out _)) n++;
            Assert.Equal(16000, n);
        }
        Assert.Equal(1, VerifyCommand.Run(cut, false, new StringWriter(), new StringWriter()));
        Assert.Equal(0, RepairCommand.Run(cut, new StringWriter(), new StringWriter()));
        Assert.Equal(0, VerifyCommand.Run(cut, true, new StringWriter(), new StringWriter()));
    }

    [Fact]
    public void Verify_and_repair_give_one_line_and_exit_2_on_bad_input()
    {
        using var dir = new TempDirectory();
        var err = new StringWriter();
        Assert.Equal(2, VerifyCommand.Run(dir.File("missing.bdf"), false, new StringWriter(), err));
        Assert.Equal($"verify: no such file: {dir.File("missing.bdf")}", err.ToString().TrimEnd());

        string junk = dir.File("junk.bdf");
        File.WriteAllText(junk, new string('x', 600));
        err = new StringWriter();
        Assert.Equal(2, VerifyCommand.Run(junk, false, new StringWriter(), err));
        Assert.Single(err.ToString().TrimEnd().Split('\n'));
        Assert.StartsWith("verify: not a readable BDF/EDF file:", err.ToString());

        err = new StringWriter();
        Assert.Equal(2, RepairCommand.Run(junk, new StringWriter(), err));
        Assert.Single(err.ToString().TrimEnd().Split('\n'));
    }
}
