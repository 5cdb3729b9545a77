using System.Globalization;
using System.Text.RegularExpressions;

namespace Eeg.Processing.Recording;

/// <summary>A run of samples that are missing from the stream (gap) or were added to fill a record (padding).</summary>
/// <param name="SampleIndex">Stream sample index of the first sample of the run.</param>
/// <param name="Length">Samples in the run.</param>
/// <param name="IsPadding">True for end-of-recording padding, false for a gap.</param>
public readonly record struct SampleRun(long SampleIndex, long Length, bool IsPadding);

/// <summary>
/// Reads BDF/BDF+ (and EDF/EDF+) files written by us or by others: header, signals, records,
/// annotations (TALs), gaps. Tolerant of a cut file: the number of records is computed from the file
/// length (a header count of -1 or a stale one is reported, not trusted), and a partial last record
/// is reported as trailing bytes.
/// </summary>
public sealed partial class BdfReader : IDisposable
{
    private readonly FileStream _file;
    private readonly byte[] _recordBytes;
    private long _loadedRecord = -1;

    private BdfReader(string path, FileStream file, BdfHeader header)
    {
        Path = path;
        _file = file;
        Header = header;
        RecordBytes = header.RecordBytes;
        long data = file.Length - header.HeaderBytes;
        RecordsOnDisk = RecordBytes == 0 ? 0 : Math.Max(0, data / RecordBytes);
        TrailingBytes = RecordBytes == 0 ? 0 : Math.Max(0, data - RecordsOnDisk * RecordBytes);
        _recordBytes = new byte[RecordBytes];
        var dataSignals = new List<int>();
        for (int i = 0; i < header.Signals.Count; i++)
        {
            if (header.Signals[i].IsAnnotations) { if (AnnotationSignal < 0) AnnotationSignal = i; }
            else dataSignals.Add(i);
        }
        DataSignals = dataSignals;
        SignalOffsets = new long[header.Signals.Count];
        long at = 0;
        for (int i = 0; i < header.Signals.Count; i++)
        {
            SignalOffsets[i] = at;
            at += (long)header.Signals[i].SamplesPerRecord * header.BytesPerValue;
        }
    }

    public string Path { get; }
    public BdfHeader Header { get; }
    public long RecordBytes { get; }
    /// <summary>Complete records in the file (from its length).</summary>
    public long RecordsOnDisk { get; }
    /// <summary>Bytes of a partial record at the end (a cut file).</summary>
    public long TrailingBytes { get; }
    /// <summary>The header's record count (-1 while a writer had not finished, or stale after a crash).</summary>
    public long HeaderRecordCount => Header.RecordCount;
    /// <summary>True when the header count matches the records on disk and no partial record trails.</summary>
    public bool IsConsistent => HeaderRecordCount == RecordsOnDisk && TrailingBytes == 0;
    /// <summary>Index of the annotation signal, or -1 (plain BDF/EDF).</summary>
    public int AnnotationSignal { get; } = -1;
    /// <summary>Indices of the signals that carry samples.</summary>
    public IReadOnlyList<int> DataSignals { get; }
    private long[] SignalOffsets { get; }

    /// <summary>Opens a file; throws <see cref="FormatException"/> (bad header) or IOException with a one-line message.</summary>
    public static BdfReader Open(string path)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16);
        try
        {
            var fixedPart = new byte[BdfHeader.FixedBytes];
            int got = file.ReadAtLeast(fixedPart, fixedPart.Length, throwOnEndOfStream: false);
            if (got < BdfHeader.FixedBytes) throw new FormatException($"{path}: {got} bytes, shorter than a 256-byte header");
            string nsText = System.Text.Encoding.ASCII.GetString(fixedPart, 252, 4).Trim();
            if (!int.TryParse(nsText, NumberStyles.None, CultureInfo.InvariantCulture, out int ns) || ns < 1 || ns > 4096)
            {
                throw new FormatException($"{path}: number of signals \"{nsText}\" is not 1..4096");
            }
            var all = new byte[BdfHeader.FixedBytes + BdfHeader.BytesPerSignal * ns];
            file.Position = 0;
            got = file.ReadAtLeast(all, all.Length, throwOnEndOfStream: false);
            BdfHeader header;
            try { header = BdfHeader.Parse(all.AsSpan(0, got)); }
            catch (FormatException e) { throw new FormatException($"{path}: {e.Message}"); }
            return new BdfReader(path, file, header);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Samples per record per data signal, and its rate.</summary>
    public int SamplesPerRecord(int signal) => Header.Signals[signal].SamplesPerRecord;

    public double SampleRate(int signal) => Header.Signals[signal].SamplesPerRecord / Header.RecordDurationSeconds;

    /// <summary>Decodes one signal of one record into <paramref name="values"/> (digital values).</summary>
    public void ReadSignal(long record, int signal, Span<int> values)
    {
        Load(record);
        int n = Header.Signals[signal].SamplesPerRecord;
        ReadOnlySpan<byte> src = _recordBytes.AsSpan((int)SignalOffsets[signal], n * Header.BytesPerValue);
        if (Header.IsBdf)
        {
            for (int j = 0; j < n; j++)
            {
                int at = j * 3;
                // Sign-extend 24 bits: shift the top byte into place as a signed value.
                values[j] = src[at] | (src[at + 1] << 8) | ((sbyte)src[at + 2] << 16);
            }
        }
        else
        {
            for (int j = 0; j < n; j++) values[j] = (short)(src[j * 2] | (src[j * 2 + 1] << 8));
        }
    }

    /// <summary>The raw bytes of one signal of one record (the annotation signal's TAL bytes).</summary>
    public ReadOnlySpan<byte> SignalBytes(long record, int signal)
    {
        Load(record);
        return _recordBytes.AsSpan((int)SignalOffsets[signal], Header.Signals[signal].SamplesPerRecord * Header.BytesPerValue);
    }

    /// <summary>The TALs of one record (the first is its time-keeping entry in an EDF+/BDF+ file).</summary>
    public List<BdfAnnotation> ReadAnnotations(long record) =>
        AnnotationSignal < 0 ? new List<BdfAnnotation>() : Tal.Parse(SignalBytes(record, AnnotationSignal));

    /// <summary>
    /// Reads every record's annotations and works out the time line: each record's first sample
    /// index, the recording's start sample and time, gaps and padding. Throws FormatException for a
    /// malformed TAL (with the record number).
    /// </summary>
    public BdfTimeline ScanTimeline()
    {
        int rateSignal = DataSignals.Count > 0 ? DataSignals[0] : 0;
        int n = Header.Signals[rateSignal].SamplesPerRecord;
        decimal duration = (decimal)Header.RecordDurationSeconds;
        decimal rate = duration > 0 ? n / duration : n;
        var onsets = new decimal[RecordsOnDisk];
        var annotations = new List<BdfAnnotation>();
        for (long r = 0; r < RecordsOnDisk; r++)
        {
            List<BdfAnnotation> tals;
            try { tals = ReadAnnotations(r); }
            catch (FormatException e) { throw new FormatException($"record {r}: {e.Message}"); }
            bool hasTimeKeeping = Header.IsPlus && tals.Count > 0 && tals[0].Text.Length == 0;
            onsets[r] = hasTimeKeeping ? tals[0].Onset : r * duration;
            annotations.AddRange(hasTimeKeeping ? tals.Skip(1) : tals);
        }
        decimal sub = onsets.Length > 0 ? onsets[0] : 0;
        long s0 = 0;
        int gain = 0;
        double vref = 0;
        long unixNs = (Header.StartUtc - DateTime.UnixEpoch).Ticks * 100 + (long)(sub * 1_000_000_000m);
        foreach (BdfAnnotation a in annotations)
        {
            Match m = StartPattern().Match(a.Text);
            if (!m.Success) continue;
            s0 = long.Parse(m.Groups["sample"].Value, CultureInfo.InvariantCulture);
            if (m.Groups["unix"].Success) unixNs = long.Parse(m.Groups["unix"].Value, CultureInfo.InvariantCulture);
            if (m.Groups["gain"].Success) gain = int.Parse(m.Groups["gain"].Value, CultureInfo.InvariantCulture);
            if (m.Groups["vref"].Success) vref = double.Parse(m.Groups["vref"].Value, CultureInfo.InvariantCulture);
            break;
        }
        long IndexAt(decimal onset) => s0 + (long)decimal.Round((onset - sub) * rate);
        var firsts = new long[onsets.Length];
        for (int r = 0; r < onsets.Length; r++) firsts[r] = IndexAt(onsets[r]);
        var runs = new List<SampleRun>();
        var triggers = new List<(long Index, int Code)>();
        foreach (BdfAnnotation a in annotations)
        {
            Match gap = GapPattern().Match(a.Text);
            if (gap.Success)
            {
                runs.Add(new SampleRun(IndexAt(a.Onset), long.Parse(gap.Groups["n"].Value, CultureInfo.InvariantCulture), gap.Groups["kind"].Value == "Padding"));
                continue;
            }
            Match trigger = TriggerPattern().Match(a.Text);
            if (trigger.Success) triggers.Add((IndexAt(a.Onset), int.Parse(trigger.Groups["code"].Value, CultureInfo.InvariantCulture)));
        }
        runs.Sort((x, y) => x.SampleIndex.CompareTo(y.SampleIndex));
        triggers.Sort((x, y) => x.Index.CompareTo(y.Index));
        return new BdfTimeline(n, (double)rate, s0, sub, unixNs, gain, vref, onsets, firsts, annotations, runs, triggers);
    }

    public void Dispose() => _file.Dispose();

    private void Load(long record)
    {
        if (record == _loadedRecord) return;
        if (record < 0 || record >= RecordsOnDisk) throw new ArgumentOutOfRangeException(nameof(record), record, $"the file holds {RecordsOnDisk} complete records");
        _file.Position = Header.HeaderBytes + record * RecordBytes;
        _file.ReadExactly(_recordBytes);
        _loadedRecord = record;
    }

    [GeneratedRegex(@"^Recording start sample=(?<sample>-?\d+)( unix_ns=(?<unix>-?\d+))?( gain=(?<gain>\d+))?( vref=(?<vref>[0-9.Ee+-]+))?")]
    private static partial Regex StartPattern();

    [GeneratedRegex(@"^(?<kind>Gap|Padding) (?<n>\d+) samples")]
    private static partial Regex GapPattern();

    [GeneratedRegex(@"^Trigger (?<code>-?\d+)")]
    private static partial Regex TriggerPattern();
}

/// <summary>A file's time line as its annotations describe it.</summary>
/// <param name="RecordSamples">Samples per record of the first data signal.</param>
/// <param name="SampleRate">Samples per second of the first data signal.</param>
/// <param name="StartSampleIndex">Stream sample index of the file's first sample (0 for files not written by us).</param>
/// <param name="SubsecondOnset">The first record's onset: the start's fraction of a second.</param>
/// <param name="StartUnixNs">Unix time of the first sample, ns.</param>
/// <param name="Gain">Gain from our start annotation, 0 when absent.</param>
/// <param name="ReferenceVolts">Vref from our start annotation, 0 when absent.</param>
/// <param name="RecordOnsets">Each record's time-keeping onset, seconds.</param>
/// <param name="RecordFirstSample">Each record's first sample index.</param>
/// <param name="Annotations">Every annotation except the time-keeping ones, in file order.</param>
/// <param name="Runs">Gaps and paddings, by sample index: slots in them hold no real sample.</param>
/// <param name="Triggers">Trigger annotations by sample index.</param>
public sealed record BdfTimeline(
    int RecordSamples,
    double SampleRate,
    long StartSampleIndex,
    decimal SubsecondOnset,
    long StartUnixNs,
    int Gain,
    double ReferenceVolts,
    decimal[] RecordOnsets,
    long[] RecordFirstSample,
    IReadOnlyList<BdfAnnotation> Annotations,
    IReadOnlyList<SampleRun> Runs,
    IReadOnlyList<(long Index, int Code)> Triggers)
{
    /// <summary>True when the sample index is inside a gap or padding run (its slot holds no real sample).</summary>
    public bool IsFiller(long sampleIndex)
    {
        // Runs are few (one per gap); a binary search keeps a long file with many gaps cheap.
        int lo = 0, hi = Runs.Count - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            SampleRun run = Runs[mid];
            if (sampleIndex < run.SampleIndex) hi = mid - 1;
            else if (sampleIndex >= run.SampleIndex + run.Length) lo = mid + 1;
            else return true;
        }
        return false;
    }
}
