using System.Globalization;
using System.Text;
using Eeg.Acquisition.Commands;
using Eeg.Acquisition.Dsp;
using Eeg.Pipeline.Configuration;

namespace Eeg.Tests.Acquisition.Node.Commands;

public sealed class FilterCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("filter-command-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string PathOf(string name) => Path.Combine(_dir, name);

    private static string Header(int channels) =>
        "sample," + string.Join(",", Enumerable.Range(1, channels).Select(c => $"Ch{c}"));

    [Fact]
    public void Offline_filtering_equals_the_online_chain_bit_for_bit()
    {
        const int channels = 32, samples = 12_000, sampleRate = 4000;
        var settings = DspSettings.Default with { NotchHarmonics = 2 };
        var rng = new Random(3);
        float[] microvolts = new float[samples * channels];
        for (int s = 0; s < samples; s++)
            for (int c = 0; c < channels; c++)
                microvolts[s * channels + c] = (float)(50_000 - 3000 * c + 40 * Math.Sin(2 * Math.PI * 10 * s / sampleRate)
                    + 20 * Math.Sin(2 * Math.PI * 50 * s / sampleRate + c) + 10 * rng.NextDouble());

        var csv = new StringBuilder(Header(channels)).Append('\n');
        for (int s = 0; s < samples; s++)
        {
            csv.Append((1_000_000L + s).ToString(CultureInfo.InvariantCulture));
            for (int c = 0; c < channels; c++) csv.Append(',').Append(microvolts[s * channels + c].ToString("R", CultureInfo.InvariantCulture));
            csv.Append('\n');
        }
        File.WriteAllText(PathOf("in.csv"), csv.ToString());

        // Online: the DSP thread's code path, frame by frame (1 sample per DRDY, then 7-sample frames).
        var online = (float[])microvolts.Clone();
        var chain = new DspChain(settings, channels, sampleRate, 0.02235);
        for (int s = 0; s < samples;)
        {
            int n = s < samples / 2 ? 1 : Math.Min(7, samples - s);
            chain.ProcessMicrovolts(online.AsSpan(s * channels, n * channels), n);
            s += n;
        }

        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = FilterCommand.Run(PathOf("in.csv"), PathOf("out.csv"), settings, sampleRate, stdout, stderr);

        Assert.Equal(0, code);
        Assert.Equal("", stderr.ToString());
        Assert.Contains("12,000 samples x 32 channels, HP 0.5 Hz (Butterworth 2), notch 50, 100 Hz (Q 30), LP 100 Hz (Butterworth 4)", stdout.ToString());
        string[] lines = File.ReadAllLines(PathOf("out.csv"));
        Assert.Equal(samples + 1, lines.Length);
        Assert.Equal(Header(channels), lines[0]);
        for (int s = 0; s < samples; s++)
        {
            string[] fields = lines[s + 1].Split(',');
            Assert.Equal(channels + 1, fields.Length);
            Assert.Equal(1_000_000L + s, long.Parse(fields[0], CultureInfo.InvariantCulture));
            for (int c = 0; c < channels; c++)
            {
                float offline = float.Parse(fields[c + 1], CultureInfo.InvariantCulture);
                Assert.True(BitConverter.SingleToInt32Bits(online[s * channels + c]) == BitConverter.SingleToInt32Bits(offline),
                    $"sample {s} channel {c}: online {online[s * channels + c]:R}, offline {offline:R}");
            }
        }
        Assert.False(File.Exists(PathOf("out.csv.partial")));
    }

    public static IEnumerable<object[]> BadFiles()
    {
        yield return new object[] { "ragged", "sample,Fp1,Fp2\n0,1.5,2.5\n1,1.5\n", "line 3: expected 3 columns (sample index + 2 channels), found 2" };
        yield return new object[] { "too wide", "sample,Fp1,Fp2\n0,1,2,3\n", "line 2: expected 3 columns (sample index + 2 channels), found 4" };
        yield return new object[] { "not a number", "sample,Fp1,Fp2\n0,1.5,2.5\n1,1.5,abc\n", "line 3, column 3 (Fp2): \"abc\" is not a number" };
        yield return new object[] { "comma decimal", "sample,Fp1,Fp2\n0,1.5,2.5\n1,1.5,\"2,5\"\n", "line 3: expected 3 columns (sample index + 2 channels), found 4" };
        yield return new object[] { "NaN", "sample,Fp1,Fp2\n0,NaN,2.5\n", "line 2, column 2 (Fp1): \"NaN\" is not a finite number (it would poison the filter state)" };
        yield return new object[] { "bad index", "sample,Fp1,Fp2\n0.5,1,2\n", "line 2, column 1 (sample index): \"0.5\" is not an integer sample index" };
        yield return new object[] { "no header", "0,1.5,2.5\n1,1.5,2.5\n", "line 1: expected a header row (sample index, then channel names), found numbers" };
        yield return new object[] { "one column", "sample\n0\n", "line 1: expected a header row with at least 2 columns (sample index + channels), found 1" };
        yield return new object[] { "empty", "", "line 1: the file is empty; expected a header row (sample index, then one column per channel)" };
        yield return new object[] { "too many channels", "sample," + string.Join(",", Enumerable.Range(0, 1025).Select(c => $"c{c}")) + "\n", "line 1: the header has 1025 channel columns; at most 1024 are supported" };
        yield return new object[] { "blank inside", "sample,Fp1\n0,1\n\n2,3\n", "line 3: empty line inside the data" };
    }

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void Bad_input_is_exit_code_2_and_one_line_with_file_and_line_number(string why, string content, string expected)
    {
        string input = PathOf($"{why}.csv");
        File.WriteAllText(input, content);
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        int code = FilterCommand.Run(input, PathOf("out.csv"), DspSettings.Default, 4000, stdout, stderr);

        Assert.Equal(2, code);
        Assert.Equal($"{input} {expected}" + Environment.NewLine, stderr.ToString());
        Assert.Equal("", stdout.ToString());
        Assert.False(File.Exists(PathOf("out.csv")), "no output for bad input");
        Assert.False(File.Exists(PathOf("out.csv.partial")), "no partial output left behind");
    }

    [Fact]
    public void A_missing_input_file_is_one_line()
    {
        var stderr = new StringWriter();
        string missing = PathOf("nope.csv");

        int code = FilterCommand.Run(missing, PathOf("out.csv"), DspSettings.Default, 4000, TextWriter.Null, stderr);

        Assert.Equal(2, code);
        Assert.Equal($"{missing}: cannot open the input file (file not found)" + Environment.NewLine, stderr.ToString());
    }

    [Fact]
    public void A_bad_filter_setting_is_one_line_naming_the_key()
    {
        File.WriteAllText(PathOf("in.csv"), "sample,Fp1\n0,1\n");
        var stderr = new StringWriter();

        int code = FilterCommand.Run(PathOf("in.csv"), PathOf("out.csv"), DspSettings.Default with { LowpassHz = 300 }, 500, TextWriter.Null, stderr);

        Assert.Equal(2, code);
        Assert.Equal("pipeline.dsp.lowpass.cutoff-hz = 300 is not allowed: above 0 Hz and below Nyquist (250 Hz at pipeline.sample-rate = 500)" + Environment.NewLine, stderr.ToString());
    }

    [Fact]
    public void Windows_line_ends_and_trailing_blank_lines_are_accepted()
    {
        File.WriteAllText(PathOf("in.csv"), "sample,Fp1,Fp2\r\n0,1,2\r\n1,3,4\r\n\r\n\r\n");

        int code = FilterCommand.Run(PathOf("in.csv"), PathOf("out.csv"), DspSettings.Default with { Enabled = false }, 4000, TextWriter.Null, TextWriter.Null);

        Assert.Equal(0, code);
        Assert.Equal("sample,Fp1,Fp2\n0,1,2\n1,3,4\n", File.ReadAllText(PathOf("out.csv")));
    }

    [Fact]
    public void A_big_file_reports_progress_every_five_percent_on_stderr()
    {
        const int rows = 60_000;
        var csv = new StringBuilder("sample,A,B,C\n");
        for (int s = 0; s < rows; s++) csv.Append(s).Append(",1.25,-2.5,").Append(s % 100).Append('\n');
        File.WriteAllText(PathOf("in.csv"), csv.ToString());
        var stderr = new StringWriter();

        // Threshold 0: this small file counts as big, so the 5% steps are visible.
        int code = FilterCommand.Run(PathOf("in.csv"), PathOf("out.csv"), DspSettings.Default, 1000, TextWriter.Null, stderr, progressThresholdBytes: 0);

        Assert.Equal(0, code);
        int[] percents = stderr.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries)
            .Select(l => int.Parse(l.Split(' ')[2].TrimEnd('%'), CultureInfo.InvariantCulture)).ToArray();
        Assert.True(percents.Length >= 5, $"{percents.Length} progress lines: {stderr}");
        Assert.Equal(100, percents[^1]);
        // One line per 5% step crossed (a block may cross more than one; the file is read in 64 kB chunks).
        Assert.True(percents.Zip(percents.Skip(1)).All(p => p.Second / 5 > p.First / 5), string.Join(" ", percents));
        Assert.Equal(rows + 1, File.ReadLines(PathOf("out.csv")).Count());
    }
}
