using System.Globalization;
using System.Text;

namespace Eeg.Processing.Recording;

/// <summary>
/// Writes a recording as CSV: one comment line with the stream's facts (Unix time of the first
/// sample, rate, gain, Vref, filters, subject, session), a header row
/// <c>sample_index,time_s,&lt;channel names&gt;</c>, then one row per sample: the stream's sample
/// index, seconds since the first sample, and each channel in microvolts (the pipeline's filtered
/// values), formatted invariant and shortest-round-trip so that float.Parse gives the same float back.
/// </summary>
/// <remarks>
/// Gaps show as jumps in sample_index (and time_s, which is computed from the index). Rows are
/// formatted into a 64 kB byte buffer with span formatting and written in large writes: no string
/// per value, and the stream sees ~1 write per 64 kB rather than one per row. Measured (ad hoc
/// console run, Release, this 2-core shared machine, 2026-11-27): 60 s of 32 ch x 4000 SPS written in
/// 3.3 s, 18x real time, 86 MB; float formatting dominates. A RecorderBenchmarks entry in bench/ should
/// track it.
/// </remarks>
internal sealed class CsvWriter : IRecordingFormatWriter
{
    private const int BufferSize = 1 << 16;
    private const int MaxValueChars = 32;

    private readonly Stream _stream;
    private readonly RecordingMetadata _meta;
    private readonly byte[] _buffer = new byte[BufferSize];
    private int _used;
    private long _s0 = -1;
    private long _bytes;
    private long _checkpointBytes = -1;

    public CsvWriter(string path, Stream stream, RecordingMetadata meta)
    {
        Path = path;
        _stream = stream;
        _meta = meta;
    }

    public string Format => "csv";
    public bool UsesCounts => false;
    public bool UsesMicrovolts => true;
    public string Path { get; }
    public long Bytes => Interlocked.Read(ref _bytes);

    public void Write(FrameBlock block)
    {
        if (block.SampleCount == 0) return;
        if (_s0 < 0) Begin(block);
        int channels = _meta.Channels;
        int rowMax = (channels + 2) * MaxValueChars;
        for (int s = 0; s < block.SampleCount; s++)
        {
            if (BufferSize - _used < rowMax) FlushBuffer();
            long index = block.FirstSampleIndex + s;
            Span<byte> row = _buffer.AsSpan(_used);
            int at = 0;
            index.TryFormat(row, out int w, default, CultureInfo.InvariantCulture); at += w;
            row[at++] = (byte)',';
            Tal.Seconds(index - _s0, _meta.SampleRate).TryFormat(row[at..], out w, "0.##########", CultureInfo.InvariantCulture); at += w;
            int src = s * channels;
            for (int c = 0; c < channels; c++)
            {
                row[at++] = (byte)',';
                // Default float formatting is the shortest string that parses back to the same float.
                block.Microvolts[src + c].TryFormat(row[at..], out w, default, CultureInfo.InvariantCulture); at += w;
            }
            row[at++] = (byte)'\n';
            _used += at;
        }
    }

    public void Annotate(long sampleIndex, long durationSamples, string text)
    {
        // CSV keeps pure rows after its header; annotations live in the BDF file.
    }

    public void Checkpoint()
    {
        if (_used == 0 && Bytes == _checkpointBytes) return;
        FlushBuffer();
        _checkpointBytes = Bytes;
        if (_stream is FileStream file) file.Flush(flushToDisk: true);
        else _stream.Flush();
    }

    public void Close()
    {
        if (_s0 < 0) WriteHeader(-1, 0);
        FlushBuffer();
        if (_stream is FileStream file) file.Flush(flushToDisk: true);
        else _stream.Flush();
    }

    public void Abort()
    {
        // Rows already in the buffer are complete; write them if the disk still takes them.
        FlushBuffer();
        _stream.Flush();
    }

    public void Dispose() => _stream.Dispose();

    private void Begin(FrameBlock first)
    {
        _s0 = first.FirstSampleIndex;
        long unixNs = first.FirstSampleUnixNs;
        if (unixNs == 0 && _meta.StreamStartUnixNs != 0) unixNs = _meta.StreamStartUnixNs + (long)(_s0 * 1e9 / _meta.SampleRate);
        WriteHeader(_s0, unixNs);
    }

    private void WriteHeader(long firstIndex, long unixNs)
    {
        var sb = new StringBuilder();
        decimal unixSeconds = unixNs / 1_000_000_000m;
        sb.Append(CultureInfo.InvariantCulture,
            $"# start_unix_s={unixSeconds:0.#########}; first_sample_index={firstIndex}; sample_rate={_meta.SampleRate}; channels={_meta.Channels}; ");
        sb.Append(CultureInfo.InvariantCulture,
            $"units=uV; gain={_meta.Gain}; reference_volts={_meta.ReferenceVolts}; filters={Clean(_meta.Filters)}; ");
        sb.Append(CultureInfo.InvariantCulture, $"subject={Clean(_meta.Subject ?? "")}; session={Clean(_meta.Session ?? "")}\n");
        sb.Append("sample_index,time_s");
        foreach (string name in _meta.ChannelNames) sb.Append(',').Append(Clean(name));
        sb.Append('\n');
        byte[] bytes = Encoding.UTF8.GetBytes(sb.ToString());
        _stream.Write(bytes);
        Interlocked.Add(ref _bytes, bytes.Length);
    }

    private static string Clean(string text) => text.Replace(';', ',').Replace(',', ' ').Replace('\n', ' ').Replace('\r', ' ');

    private void FlushBuffer()
    {
        if (_used == 0) return;
        _stream.Write(_buffer, 0, _used);
        Interlocked.Add(ref _bytes, _used);
        _used = 0;
    }
}
