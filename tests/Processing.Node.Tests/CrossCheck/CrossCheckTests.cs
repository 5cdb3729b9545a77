using System.Text.Json;
using Eeg.Processing.Recording;
using Eeg.Shared.Frames;
using Eeg.Tests.Processing.Node.Recording;
using Xunit.Abstractions;

namespace Eeg.Tests.Processing.Node.CrossCheck;

/// <summary>Our BDF+ files read by tools no one here wrote: MNE-Python and EDFlib (Debian packages).</summary>
public sealed class CrossCheckTests
{
    private readonly ITestOutputHelper _log;

    public CrossCheckTests(ITestOutputHelper log) => _log = log;

    [Fact]
    public void Mne_reads_our_bdf_with_the_right_channel_names_rate_values_and_annotations()
    {
        using var dir = new TempDirectory();
        using ActiveRecording recording = RecordingGapTests.RecordWithGaps(dir, withTimeJump: false, channels: 32);
        string bdf = recording.Writer.Paths[0];
        double step = new StreamDescription(StreamDescription.DefaultChannelNames(32), 4000, 10, 24, 4.5, "uV", "", 0, "").MicrovoltsPerCount;
        // What the scenario wrote, stated independently of our reader: 3 contiguous 1 s records,
        // a 400-sample gap padded at 6000, 1000 samples of end padding at 11000.
        var expected = new
        {
            ch_names = StreamDescription.DefaultChannelNames(32),
            sfreq = 4000.0,
            uv_per_count = step,
            record_samples = 4000,
            record_first = new[] { 0, 4000, 8000 },
            filler = new[] { new[] { 6000, 400 }, new[] { 11000, 1000 } },
            annotations = new object[]
            {
                new object[] { 2999 / 4000.0, 0.0, "stimulus on" },
                new object[] { 1.5, 0.1, "Gap 400 samples" },
                new object[] { 6405 / 4000.0, 0.0, "Trigger 7" },
                new object[] { 2.75, 0.25, "Padding 1000 samples" },
            },
        };
        string json = dir.File("expected.json");
        File.WriteAllText(json, JsonSerializer.Serialize(expected));

        var (exit, output) = CrossCheckTools.RunMne(bdf, json);
        _log.WriteLine(output);
        Assert.True(exit == 0, "mne_check failed:\n" + output);
        Assert.Contains("mne_check: OK", output);
        Assert.Contains("values: 10600 real samples x 32 channels", output);
    }

    [Fact]
    public void Edflib_opens_our_continuous_bdf_and_reads_its_signals_values_and_annotations()
    {
        using var dir = new TempDirectory();
        using ActiveRecording recording = RecordingGapTests.RecordWithGaps(dir, withTimeJump: false, channels: 32);
        var (exit, output) = CrossCheckTools.RunEdflib(recording.Writer.Paths[0]);
        _log.WriteLine(output);
        Assert.True(exit == 0, "EDFlib refused the file:\n" + output);
        Assert.Contains("open=0 filetype=3", output); // 3 = EDFLIB_FILETYPE_BDFPLUS
        Assert.Contains("signals=32 records=3", output);
        Assert.Contains("record_duration_100ns=10000000 subsecond_100ns=1234560", output);
        Assert.Contains("signal 0 label=Fp1 smp_in_file=12000 read=4 first=-8388608,-8388607,-8388606,-8388605", output);
        Assert.Contains("signal 1 label=Fp2 smp_in_file=12000 read=4 first=-8387608,-8387607,-8387606,-8387605", output);
        Assert.Contains("text=Gap 400 samples", output);
        Assert.Contains("text=Trigger 7", output);
        Assert.Contains("text=stimulus on", output);
        Assert.Contains("text=Recording start sample=0", output);
    }

    [Fact]
    public void Edflib_on_a_file_with_a_time_jump_reports_it_as_discontinuous_rather_than_misreading_it()
    {
        using var dir = new TempDirectory();
        using ActiveRecording recording = RecordingGapTests.RecordWithGaps(dir, withTimeJump: true, channels: 8);
        var (exit, output) = CrossCheckTools.RunEdflib(recording.Writer.Paths[0]);
        _log.WriteLine(output);
        // EDFlib reads EDF+C/BDF+C only; for a BDF+D with a real jump it answers
        // EDFLIB_FILE_IS_DISCONTINUOUS (-10) instead of presenting the samples as contiguous.
        Assert.Equal(1, exit);
        Assert.Contains("open=-1 filetype=-10", output);
    }

    [Fact]
    public void Edflib_opens_a_cut_file_after_repair()
    {
        using var dir = new TempDirectory();
        string cut = RecordingCrashTests.CutRecording(dir, completeRecords: 3, headerCount: 2, extraBytes: 5000);
        var (before, beforeText) = CrossCheckTools.RunEdflib(cut);
        _log.WriteLine(beforeText);
        Assert.Equal(0, RepairCommand.Run(cut, new StringWriter(), new StringWriter()));
        var (after, afterText) = CrossCheckTools.RunEdflib(cut);
        _log.WriteLine(afterText);
        Assert.True(after == 0, "EDFlib refused the repaired file:\n" + afterText);
        Assert.Contains("records=3", afterText);
        Assert.NotEqual(0, before); // EDFlib checks the header count against the file size: the cut file is refused
    }
}
