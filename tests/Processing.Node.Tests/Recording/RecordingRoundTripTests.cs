using Eeg.Processing.Recording;
using Eeg.Shared.Recording;

namespace Eeg.Tests.Processing.Node.Recording;

public sealed class RecordingRoundTripTests
{
    [Fact]
    public void Recording_of_20_s_pattern_reads_back_every_sample_index_once_with_exact_counts_and_microvolts()
    {
        using var dir = new TempDirectory();
        var frames = new PatternFrames(channels: 32, sampleRate: 4000, frameSamples: 10);
        var counters = RecorderTestKit.Counters();
        using ActiveRecording recording = RecorderTestKit.Start(RecorderTestKit.Settings(dir.Path), frames, counters);
        const long first = 123_456; // a recording starts mid-stream
        const long total = 20 * 4000;
        frames.WriteRange(recording.Writer, first, first + total);
        RecorderTestKit.StopAndCheck(recording);

        Assert.Equal(RecordingState.Stopped, recording.Writer.State);
        Assert.Null(recording.Writer.FailureReason);
        Assert.Equal(total, recording.Writer.Samples);
        Assert.Equal(0, recording.Writer.DroppedFrames);
        Assert.False(counters.Failed);

        string bdf = recording.Writer.Paths[0], csv = recording.Writer.Paths[1];
        Assert.EndsWith("20261127_083000_S01_ses-1.bdf", bdf);

        // BDF: every index once, in order, and every digital value the exact ADC count.
        using (BdfSampleStream stream = BdfSampleStream.Open(bdf))
        {
            Assert.Equal(frames.Description.ChannelNames, stream.ChannelNames);
            Assert.Equal(4000, stream.SampleRate);
            Assert.Equal(24, stream.Gain);
            Assert.Equal(4.5, stream.ReferenceVolts);
            Assert.Equal(frames.Description.MicrovoltsPerCount, stream.MicrovoltsPerCount);
            Assert.Equal(PatternFrames.StartUnixNs + first * 250_000, stream.FirstSampleUnixNs);
            Assert.Equal(first, stream.FirstSampleIndex);
            Assert.True(stream.Reader.IsConsistent);
            Assert.Equal("BDF+C", stream.Reader.Header.Reserved);
            Assert.Equal(20, stream.Reader.RecordsOnDisk);
            var counts = new int[32];
            long expected = first, mismatches = 0;
            while (stream.TryReadSample(counts, out long index, out int trigger))
            {
                Assert.Equal(expected, index);
                Assert.Equal(0, trigger);
                for (int c = 0; c < 32; c++) if (counts[c] != VerifyCommand.Pattern(index, c)) mismatches++;
                expected++;
            }
            Assert.Equal(first + total, expected);
            Assert.Equal(0, mismatches);
        }

        // CSV: same indices, microvolts parse back to the very floats that were recorded.
        var (comment, names, rows) = RecorderTestKit.ReadCsv(csv);
        Assert.StartsWith("# start_unix_s=1795000030.987456", comment);
        Assert.Contains("sample_rate=4000", comment);
        Assert.Equal(new[] { "sample_index", "time_s" }.Concat(frames.Description.ChannelNames), names);
        Assert.Equal(total, rows.Count);
        double step = frames.Description.MicrovoltsPerCount;
        long bad = 0;
        for (int r = 0; r < rows.Count; r++)
        {
            var (index, time, values) = rows[r];
            Assert.Equal(first + r, index);
            Assert.Equal(r / 4000m, time);
            for (int c = 0; c < 32; c++) if (values[c] != PatternFrames.Microvolts(index, c, step)) bad++;
        }
        Assert.Equal(0, bad);

        // And the verify command agrees.
        var output = new StringWriter();
        Assert.Equal(0, VerifyCommand.Run(bdf, checkPattern: true, output, new StringWriter()));
        Assert.Contains("pattern: every value of 80000 samples x 32 channels matches", output.ToString());
    }

    [Fact]
    public void Header_fields_follow_the_bdf_plus_specification()
    {
        using var dir = new TempDirectory();
        var frames = new PatternFrames(channels: 8, sampleRate: 250, frameSamples: 5);
        using ActiveRecording recording = RecorderTestKit.Start(RecorderTestKit.Settings(dir.Path, formats: RecordingFormat.Bdf), frames, subject: "subj 7");
        frames.WriteRange(recording.Writer, 0, 500);
        RecorderTestKit.StopAndCheck(recording);

        byte[] bytes = File.ReadAllBytes(recording.Writer.Paths[0]);
        Assert.Equal(0xFF, bytes[0]);
        Assert.Equal("BIOSEMI", System.Text.Encoding.ASCII.GetString(bytes, 1, 7));
        string Field(int offset, int length) => System.Text.Encoding.ASCII.GetString(bytes, offset, length);
        Assert.Equal("subj_7 X X X".PadRight(80), Field(8, 80));
        Assert.StartsWith("Startdate ", Field(88, 80));
        Assert.EndsWith(" ses-1 X simulated".PadRight(80 - "Startdate 18-NOV-2026".Length), Field(88, 80));
        Assert.Equal("2560    ", Field(184, 8)); // 256 + 256 x 9 signals
        Assert.Equal("BDF+C".PadRight(44), Field(192, 44));
        Assert.Equal("2       ", Field(236, 8));
        Assert.Equal("1       ", Field(244, 8));
        Assert.Equal("9   ", Field(252, 4));

        using BdfReader reader = BdfReader.Open(recording.Writer.Paths[0]);
        BdfSignalHeader fp1 = reader.Header.Signals[0];
        Assert.Equal("Fp1", fp1.Label);
        Assert.Equal("AgAgCl electrode", fp1.Transducer);
        Assert.Equal("uV", fp1.PhysicalDimension);
        Assert.Equal(-187500, fp1.PhysicalMinimum);
        Assert.Equal(187500, fp1.PhysicalMaximum);
        Assert.Equal(-8388608, fp1.DigitalMinimum);
        Assert.Equal(8388607, fp1.DigitalMaximum);
        Assert.Equal("HP:DC LP:65.5Hz (ADS1299 sinc3)", fp1.Prefilter);
        Assert.Equal(250, fp1.SamplesPerRecord);
        BdfSignalHeader annotations = reader.Header.Signals[8];
        Assert.Equal("BDF Annotations", annotations.Label);
        Assert.Equal(BdfWriter.AnnotationSamples, annotations.SamplesPerRecord);
        Assert.Equal(new DateTime(2026, 11, 18, 11, 6, 40, DateTimeKind.Utc), reader.Header.StartUtc);

        List<BdfAnnotation> first = reader.ReadAnnotations(0);
        Assert.Equal(new BdfAnnotation(0.123456m, null, ""), first[0]);
        Assert.Equal("Recording start sample=0 unix_ns=1795000000123456000 gain=24 vref=4.5", first[1].Text);
        Assert.Equal(new BdfAnnotation(1.123456m, null, ""), reader.ReadAnnotations(1)[0]);
    }
}
