using Eeg.Pipeline.Slabs;
using Eeg.Processing.Recording;
using Eeg.Shared.Frames;

namespace Eeg.Tests.Processing.Node.Recording;

public sealed class ConvertAndReplayTests
{
    [Fact]
    public void Bdf_converts_to_csv_and_back_with_the_same_indices_gaps_and_counts()
    {
        using var dir = new TempDirectory();
        using ActiveRecording recording = RecordingGapTests.RecordWithGaps(dir, withTimeJump: true, channels: 8);
        string csv = dir.File("out.csv"), back = dir.File("back.bdf");
        var progress = new StringWriter();

        Assert.Equal(0, ConvertCommand.Run(recording.Writer.Paths[0], csv, new StringWriter(), progress));
        Assert.Contains("bdf -> csv [##############################] 100%", progress.ToString());
        var (comment, names, rows) = RecorderTestKit.ReadCsv(csv);
        Assert.Contains("start_unix_s=1795000000.123456", comment);
        Assert.Contains("gain=24; reference_volts=4.5", comment);
        Assert.Equal(13600, rows.Count);
        double step = new StreamDescription(names[2..], 4000, 1, 24, 4.5, "uV", "", 0, "").MicrovoltsPerCount;
        Assert.All(rows, r => Assert.Equal(PatternFrames.Microvolts(r.Index, 3, step), r.Values[3]));
        Assert.Equal(16000 / 4000m, rows.Single(r => r.Index == 16000).Time);

        Assert.Equal(0, ConvertCommand.Run(csv, back, new StringWriter(), new StringWriter()));
        using BdfSampleStream stream = BdfSampleStream.Open(back);
        Assert.Equal(new long[] { 0, 4000, 8000, 16000 }, stream.Timeline.RecordFirstSample);
        Assert.Equal(PatternFrames.StartUnixNs, stream.FirstSampleUnixNs);
        var counts = new int[8];
        long n = 0, offByMore = 0, offByOne = 0;
        while (stream.TryReadSample(counts, out long index, out _))
        {
            n++;
            for (int c = 0; c < 8; c++)
            {
                long diff = Math.Abs((long)counts[c] - VerifyCommand.Pattern(index, c));
                if (diff > 1) offByMore++;
                else if (diff == 1) offByOne++;
            }
        }
        Assert.Equal(13600, n);
        // CSV keeps float microvolts (24-bit significand): counts near full scale can come back one step off.
        Assert.Equal(0, offByMore);
        Assert.True(offByOne < n * 8 / 1000, $"{offByOne} values one count off");
    }

    [Fact]
    public void Convert_gives_one_line_and_exit_2_on_bad_input()
    {
        using var dir = new TempDirectory();
        var err = new StringWriter();
        Assert.Equal(2, ConvertCommand.Run(dir.File("none.bdf"), dir.File("x.csv"), new StringWriter(), err));
        Assert.Equal($"convert: no such file: {dir.File("none.bdf")}", err.ToString().TrimEnd());

        string txt = dir.File("a.txt");
        File.WriteAllText(txt, "hello");
        err = new StringWriter();
        Assert.Equal(2, ConvertCommand.Run(txt, dir.File("b.bdf"), new StringWriter(), err));
        Assert.Equal("convert: cannot convert .txt to .bdf: allowed are .bdf/.edf -> .csv and .csv -> .bdf", err.ToString().TrimEnd());

        string csv = dir.File("bad.csv");
        File.WriteAllText(csv, "# sample_rate=4000\nsample_index,time_s,Fp1\n0,0,1.5\n1,0.00025,abc\n");
        err = new StringWriter();
        Assert.Equal(2, ConvertCommand.Run(csv, dir.File("bad.bdf"), new StringWriter(), err));
        Assert.EndsWith($"convert: {csv}:4: Fp1 value \"abc\" is not a number", err.ToString().TrimEnd());
        Assert.False(File.Exists(dir.File("bad.bdf")));
    }

    [Fact]
    public void Replaying_a_recording_sample_by_sample_into_a_new_recording_reproduces_it_exactly()
    {
        using var dir = new TempDirectory();
        using ActiveRecording original = RecordingGapTests.RecordWithGaps(dir, withTimeJump: true, channels: 8);
        using BdfSampleStream replay = BdfSampleStream.Open(original.Writer.Paths[0]);
        StreamDescription description = replay.ToStreamDescription(frameSamples: 1);

        // What the replay source will do: one sample per frame, its index and trigger, into slabs.
        using var copyDir = new TempDirectory();
        using ActiveRecording copy = ActiveRecording.Start(RecorderTestKit.Settings(copyDir.Path, formats: RecordingFormat.Bdf),
            description, "S01", "ses-1", RecorderTestKit.Now);
        var slab = new Slab(8, 1);
        while (true)
        {
            slab.ResetHeader();
            slab.SetReferences(1);
            if (!replay.TryReadSample(slab.Counts, out long index, out int trigger)) break;
            slab.FirstSampleIndex = index;
            slab.SampleCount = 1;
            slab.FirstSampleUnixNs = description.StartUnixNs + index * 1_000_000_000L / description.SampleRate;
            if (trigger != 0) slab.TryAddTrigger(new TriggerEvent(index, trigger, TriggerSource.HostPin));
            copy.Writer.Write(slab);
            slab.Release();
        }
        RecorderTestKit.StopAndCheck(copy);

        using BdfReader a = BdfReader.Open(original.Writer.Paths[0]);
        using BdfReader b = BdfReader.Open(copy.Writer.Paths[0]);
        Assert.Equal(a.RecordsOnDisk, b.RecordsOnDisk);
        Assert.Equal(a.Header.Reserved, b.Header.Reserved);
        Assert.Equal(a.Header.StartUtc, b.Header.StartUtc);
        var x = new int[4000];
        var y = new int[4000];
        for (long r = 0; r < a.RecordsOnDisk; r++)
        {
            for (int s = 0; s < 8; s++)
            {
                a.ReadSignal(r, s, x);
                b.ReadSignal(r, s, y);
                Assert.Equal(x, y);
            }
        }
        BdfTimeline ta = a.ScanTimeline(), tb = b.ScanTimeline();
        Assert.Equal(ta.RecordOnsets, tb.RecordOnsets);
        Assert.Equal(ta.Runs, tb.Runs);
        Assert.Equal(ta.Triggers, tb.Triggers);
    }
}
