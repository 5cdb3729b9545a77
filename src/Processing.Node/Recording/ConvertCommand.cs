using System.Globalization;

namespace Eeg.Processing.Recording;

/// <summary>
/// <c>convert &lt;in&gt; &lt;out&gt;</c>: BDF/EDF to CSV (microvolts = count x the exact step) and CSV to
/// BDF+ (counts = microvolts / step, rounded; the CSV's comment line gives rate, gain, Vref and start
/// time), with a progress bar on the error writer. Exit codes: 0 done, 2 bad input.
/// </summary>
public static class ConvertCommand
{
    private const int BlockSamples = 1000;

    public static int Run(string input, string output, TextWriter info, TextWriter error)
    {
        if (!File.Exists(input))
        {
            error.WriteLine($"convert: no such file: {input}");
            return 2;
        }
        if (File.Exists(output))
        {
            error.WriteLine($"convert: {output} exists; choose a new output file");
            return 2;
        }
        string from = Path.GetExtension(input).ToLowerInvariant(), to = Path.GetExtension(output).ToLowerInvariant();
        try
        {
            if (from is ".bdf" or ".edf" && to == ".csv") return ToCsv(input, output, info, error);
            if (from == ".csv" && to == ".bdf") return ToBdf(input, output, info, error);
        }
        catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
        {
            error.WriteLine();
            error.WriteLine($"convert: {e.Message.ReplaceLineEndings(" ")}");
            TryDelete(output);
            return 2;
        }
        error.WriteLine($"convert: cannot convert {from} to {to}: allowed are .bdf/.edf -> .csv and .csv -> .bdf");
        return 2;
    }

    private static int ToCsv(string input, string output, TextWriter info, TextWriter error)
    {
        using BdfSampleStream bdf = BdfSampleStream.Open(input);
        var meta = new RecordingMetadata(bdf.ChannelNames, bdf.SampleRate, bdf.Gain, bdf.ReferenceVolts, null, null, "convert",
            $"none (converted from {Path.GetFileName(input)}: raw counts x {bdf.MicrovoltsPerCount.ToString("R", CultureInfo.InvariantCulture)} uV)",
            bdf.Timeline.RecordSamples, 0);
        using var csv = new CsvWriter(output, ActiveRecording.OpenFile(output), meta);
        var block = new FrameBlock(bdf.ChannelCount, BlockSamples);
        var progress = new ProgressBar(error, "bdf -> csv");
        Span<int> counts = stackalloc int[bdf.ChannelCount];
        long written = 0, total = bdf.Reader.RecordsOnDisk * (long)bdf.Timeline.RecordSamples;
        double uvPerCount = bdf.MicrovoltsPerCount;
        long next = -1;
        while (bdf.TryReadSample(counts, out long index, out _))
        {
            if (block.SampleCount == BlockSamples || (block.SampleCount > 0 && index != next))
            {
                csv.Write(block);
                block.Reset();
            }
            if (block.SampleCount == 0)
            {
                block.FirstSampleIndex = index;
                block.FirstSampleUnixNs = bdf.FirstSampleUnixNs + (long)((index - bdf.FirstSampleIndex) * 1e9 / bdf.SampleRate);
            }
            int at = block.SampleCount * bdf.ChannelCount;
            for (int c = 0; c < counts.Length; c++)
            {
                block.Counts[at + c] = counts[c];
                block.Microvolts[at + c] = (float)(counts[c] * uvPerCount);
            }
            block.SampleCount++;
            next = index + 1;
            if (++written % 4096 == 0) progress.Report(written, total);
        }
        if (block.SampleCount > 0) csv.Write(block);
        csv.Close();
        progress.Done();
        info.WriteLine($"convert: {output}: {written} samples x {bdf.ChannelCount} channels");
        return 0;
    }

    private static int ToBdf(string input, string output, TextWriter info, TextWriter error)
    {
        using var reader = new StreamReader(input);
        long length = reader.BaseStream.Length;
        string? comment = reader.ReadLine();
        if (comment is null || !comment.StartsWith('#')) throw new FormatException($"{input}: line 1 is not the '# start_unix_s=...; sample_rate=...' comment this recorder writes");
        var facts = comment.TrimStart('#').Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0].Trim(), p => p[1].Trim());
        int rate = Fact(facts, "sample_rate", input, s => int.Parse(s, CultureInfo.InvariantCulture));
        int gain = facts.ContainsKey("gain") ? Fact(facts, "gain", input, s => int.Parse(s, CultureInfo.InvariantCulture)) : 24;
        double vref = facts.ContainsKey("reference_volts") ? Fact(facts, "reference_volts", input, s => double.Parse(s, CultureInfo.InvariantCulture)) : 4.5;
        decimal startSeconds = facts.ContainsKey("start_unix_s") ? Fact(facts, "start_unix_s", input, s => decimal.Parse(s, CultureInfo.InvariantCulture)) : 0;
        string? header = reader.ReadLine();
        if (header is null || !header.StartsWith("sample_index,time_s,", StringComparison.Ordinal)) throw new FormatException($"{input}: line 2 is not 'sample_index,time_s,<channels>'");
        string[] names = header.Split(',')[2..];
        var meta = new RecordingMetadata(names, rate, gain, vref, Value(facts, "subject"), Value(facts, "session"), "convert", "", rate, 0);
        double step = meta.MicrovoltsPerCount;
        using var bdf = new BdfWriter(output, ActiveRecording.OpenFile(output), meta);
        var block = new FrameBlock(names.Length, BlockSamples);
        var progress = new ProgressBar(error, "csv -> bdf");
        long next = -1, rows = 0, lineNumber = 2;
        long startNs = (long)(startSeconds * 1_000_000_000m);
        long firstIndex = -1;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (line.Length == 0 || line[0] == '#') continue;
            string[] cells = line.Split(',');
            if (cells.Length != names.Length + 2) throw new FormatException($"{input}:{lineNumber}: {cells.Length} cells, expected {names.Length + 2}");
            if (!long.TryParse(cells[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long index)) throw new FormatException($"{input}:{lineNumber}: sample_index \"{cells[0]}\" is not an integer");
            if (next >= 0 && index <= next - 1) throw new FormatException($"{input}:{lineNumber}: sample_index {index} does not increase");
            if (firstIndex < 0) firstIndex = index;
            if (block.SampleCount == BlockSamples || (block.SampleCount > 0 && index != next))
            {
                bdf.Write(block);
                block.Reset();
            }
            if (block.SampleCount == 0)
            {
                block.FirstSampleIndex = index;
                block.GapBefore = next >= 0 ? index - next : 0;
                block.FirstSampleUnixNs = startNs + (long)((index - firstIndex) * 1e9 / rate);
            }
            int at = block.SampleCount * names.Length;
            for (int c = 0; c < names.Length; c++)
            {
                if (!float.TryParse(cells[c + 2], NumberStyles.Float, CultureInfo.InvariantCulture, out float uv))
                {
                    throw new FormatException($"{input}:{lineNumber}: {names[c]} value \"{cells[c + 2]}\" is not a number");
                }
                double count = Math.Round(uv / step);
                block.Counts[at + c] = (int)Math.Clamp(count, BdfWriter.DigitalMinimum, BdfWriter.DigitalMaximum);
                block.Microvolts[at + c] = uv;
            }
            block.SampleCount++;
            next = index + 1;
            if (++rows % 4096 == 0) progress.Report(reader.BaseStream.Position, length);
        }
        if (block.SampleCount > 0) bdf.Write(block);
        bdf.Close();
        progress.Done();
        info.WriteLine($"convert: {output}: {rows} samples x {names.Length} channels, {bdf.RecordsWritten} records");
        return 0;
    }

    private static T Fact<T>(Dictionary<string, string> facts, string key, string input, Func<string, T> parse)
    {
        if (!facts.TryGetValue(key, out string? text)) throw new FormatException($"{input}: the comment line has no {key}=");
        try { return parse(text); }
        catch (Exception e) when (e is FormatException or OverflowException) { throw new FormatException($"{input}: {key}={text} is not a number"); }
    }

    private static string? Value(Dictionary<string, string> facts, string key) =>
        facts.TryGetValue(key, out string? v) && v.Length > 0 ? v : null;

    private static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { }
    }
}

/// <summary>A one-line progress bar, redrawn with '\r' when the percentage changes.</summary>
internal sealed class ProgressBar
{
    private readonly TextWriter _out;
    private readonly string _label;
    private int _shown = -1;

    public ProgressBar(TextWriter output, string label)
    {
        _out = output;
        _label = label;
    }

    public void Report(long done, long total)
    {
        if (total <= 0) return;
        int percent = (int)Math.Clamp(done * 100 / total, 0, 100);
        if (percent == _shown) return;
        _shown = percent;
        int filled = percent * 30 / 100;
        _out.Write($"\r{_label} [{new string('#', filled)}{new string('.', 30 - filled)}] {percent,3}%");
        _out.Flush();
    }

    public void Done()
    {
        Report(1, 1);
        _out.WriteLine();
    }
}
