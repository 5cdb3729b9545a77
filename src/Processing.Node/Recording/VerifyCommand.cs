using System.Globalization;

namespace Eeg.Processing.Recording;

/// <summary>
/// <c>verify &lt;file.bdf&gt; [--pattern]</c>: reports a recording's channels, rate, duration, first
/// and last sample index, every gap and every annotation, and says whether it is damaged.
/// Exit codes: 0 intact, 1 damaged (cut record, stale header count, bad TAL, samples missing without
/// a gap annotation, a pattern mismatch), 2 bad input (no such file, not a BDF/EDF header).
/// </summary>
public static class VerifyCommand
{
    /// <summary>The simulator's pattern signal: channel c at sample i is ((i + 1000 c) mod 2^24) - 2^23 counts.</summary>
    public static int Pattern(long sampleIndex, int channel)
    {
        long v = (sampleIndex + 1000L * channel) % (1L << 24);
        if (v < 0) v += 1L << 24;
        return (int)(v - (1L << 23));
    }

    public static int Run(string path, bool checkPattern, TextWriter output, TextWriter error)
    {
        if (!File.Exists(path))
        {
            error.WriteLine($"verify: no such file: {path}");
            return 2;
        }
        BdfSampleStream stream;
        try
        {
            stream = BdfSampleStream.Open(path);
        }
        catch (FormatException e) when (e.Message.Contains("record ", StringComparison.Ordinal) && e.Message.Contains("TAL", StringComparison.Ordinal))
        {
            error.WriteLine($"verify: DAMAGED: {path}: annotations unreadable: {e.Message}");
            return 1;
        }
        catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"verify: not a readable BDF/EDF file: {e.Message.ReplaceLineEndings(" ")}");
            return 2;
        }
        using (stream)
        {
            return Verify(stream, checkPattern, output);
        }
    }

    private static int Verify(BdfSampleStream stream, bool checkPattern, TextWriter o)
    {
        BdfReader reader = stream.Reader;
        BdfHeader h = reader.Header;
        BdfTimeline t = stream.Timeline;
        var problems = new List<string>();
        var inv = CultureInfo.InvariantCulture;

        string kind = h.IsPlus ? h.Reserved[..Math.Min(5, h.Reserved.Length)] : h.IsBdf ? "BDF" : "EDF";
        o.WriteLine($"file: {reader.Path}");
        o.WriteLine($"format: {kind}, {h.Signals.Count} signals ({stream.ChannelCount} channels{(reader.AnnotationSignal >= 0 ? " + annotations" : "")}), record {h.RecordDurationSeconds.ToString(inv)} s");
        o.WriteLine($"channels: {string.Join(", ", stream.ChannelNames)}");
        o.WriteLine($"rate: {t.SampleRate.ToString(inv)} samples/s; {stream.MicrovoltsPerCount.ToString("R", inv)} uV per count (gain {stream.Gain}, Vref {stream.ReferenceVolts.ToString(inv)} V)");
        o.WriteLine($"start: {DateTime.UnixEpoch.AddTicks(t.StartUnixNs / 100):yyyy-MM-ddTHH:mm:ss.ffffffZ}; patient \"{h.Patient}\"; recording \"{h.RecordingId}\"");
        o.WriteLine($"records: header says {h.RecordCount}, file holds {reader.RecordsOnDisk} complete{(reader.TrailingBytes > 0 ? $" and {reader.TrailingBytes} bytes of a partial one" : "")}");

        if (reader.TrailingBytes > 0) problems.Add($"truncated: the last record is cut ({reader.TrailingBytes} of {reader.RecordBytes} bytes); run repair");
        if (h.RecordCount != reader.RecordsOnDisk) problems.Add($"header record count {h.RecordCount} does not match the {reader.RecordsOnDisk} complete records; run repair");

        int n = t.RecordSamples;
        for (int r = 1; r < t.RecordFirstSample.Length; r++)
        {
            long expected = t.RecordFirstSample[r - 1] + n;
            if (t.RecordFirstSample[r] < expected) problems.Add($"record {r} starts at sample {t.RecordFirstSample[r]}, inside record {r - 1}");
            else if (t.RecordFirstSample[r] > expected && !h.IsDiscontinuous) problems.Add($"record {r} jumps {t.RecordFirstSample[r] - expected} samples but the file is not BDF+D/EDF+D");
            if (problems.Count > 20) break;
        }

        // Every real sample once, in order; every missing index covered by a gap annotation.
        Span<int> counts = stackalloc int[stream.ChannelCount];
        long first = -1, last = -1, samples = 0, mismatches = 0, unannotated = 0;
        string? firstMismatch = null;
        while (stream.TryReadSample(counts, out long index, out _))
        {
            if (first < 0) first = index;
            else if (index <= last)
            {
                problems.Add($"sample index {index} appears again after {last}");
                break;
            }
            else if (index > last + 1 && !Covered(t, last + 1, index))
            {
                unannotated += index - last - 1;
            }
            last = index;
            samples++;
            if (checkPattern)
            {
                for (int c = 0; c < counts.Length; c++)
                {
                    int want = Pattern(index, c);
                    if (counts[c] != want)
                    {
                        mismatches++;
                        firstMismatch ??= $"sample {index} channel {c} ({stream.ChannelNames[c]}): {counts[c]}, pattern says {want}";
                    }
                }
            }
        }
        if (unannotated > 0) problems.Add($"{unannotated} samples missing without a gap annotation");
        if (mismatches > 0) problems.Add($"pattern: {mismatches} values differ, first at {firstMismatch}");

        long gapSamples = t.Runs.Where(x => !x.IsPadding).Sum(x => x.Length);
        o.WriteLine($"samples: {samples} per channel, first index {first}, last index {last}; duration {(samples / t.SampleRate).ToString("0.######", inv)} s recorded, {(last >= first && first >= 0 ? ((last - first + 1) / t.SampleRate).ToString("0.######", inv) : "0")} s spanned");
        o.WriteLine($"gaps: {t.Runs.Count(x => !x.IsPadding)} ({gapSamples} samples)");
        foreach (SampleRun run in t.Runs)
        {
            o.WriteLine($"  {(run.IsPadding ? "padding" : "gap")} at sample {run.SampleIndex} ({((run.SampleIndex - t.StartSampleIndex) / t.SampleRate).ToString("0.######", inv)} s): {run.Length} samples");
        }
        o.WriteLine($"annotations: {t.Annotations.Count}");
        foreach (BdfAnnotation a in t.Annotations.OrderBy(a => a.Onset))
        {
            string duration = a.Duration is decimal d ? $" duration {d.ToString("0.##########", inv)} s" : "";
            o.WriteLine($"  +{(a.Onset - t.SubsecondOnset).ToString("0.##########", inv)} s{duration}: {a.Text}");
        }
        if (checkPattern && mismatches == 0) o.WriteLine($"pattern: every value of {samples} samples x {stream.ChannelCount} channels matches");

        if (problems.Count == 0)
        {
            o.WriteLine("verify: OK");
            return 0;
        }
        foreach (string p in problems) o.WriteLine($"damaged: {p}");
        o.WriteLine($"verify: DAMAGED ({problems.Count} problem{(problems.Count == 1 ? "" : "s")})");
        return 1;
    }

    private static bool Covered(BdfTimeline t, long from, long to)
    {
        for (long i = from; i < to; i++)
        {
            if (!t.IsFiller(i)) return false;
        }
        return true;
    }
}
