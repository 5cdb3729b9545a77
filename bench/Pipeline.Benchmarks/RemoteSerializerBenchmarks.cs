using System.Buffers.Binary;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Eeg.Shared.Frames;
using Eeg.Shared.Remote;

namespace Eeg.Bench;

/// <summary>
/// One remote batch (10 ms at 4 kSPS, 32 channels: 40 one-sample frames) through the wire format:
/// packing the frames from slab-shaped arrays, writing, reading; against per-value writes (what the
/// block copy avoids) and System.Text.Json of the same samples (what the binary format avoids).
/// Run: dotnet run -c Release --project bench/Pipeline.Benchmarks -- --filter '*RemoteSerializer*'
/// </summary>
public class RemoteSerializerBenchmarks
{
    [Params(1, 40)]
    public int FrameSamples;

    private const int Channels = 32;
    private const int BatchSamples = 40;
    private FrameBatch _batch = null!;
    private byte[] _wire = null!;
    private byte[] _scratch = null!;
    private float[] _slabMicrovolts = null!;
    private int[] _slabCounts = null!;
    private JsonPayload _json = null!;

    [GlobalSetup]
    public void Setup()
    {
        _slabMicrovolts = Enumerable.Range(0, Channels * FrameSamples).Select(i => i * 0.5f).ToArray();
        _slabCounts = Enumerable.Range(0, Channels * FrameSamples).Select(i => i * 1000 - 5_000_000).ToArray();
        _batch = Pack();
        _wire = RemoteSinkSerializer.WriteBatch(_batch);
        _scratch = new byte[_wire.Length];
        _json = new JsonPayload
        {
            FirstSampleIndex = Enumerable.Range(0, _batch.FrameCount).Select(i => (long)i * FrameSamples).ToArray(),
            Microvolts = _batch.Microvolts[..(_batch.SampleCount * Channels)],
            Counts = _batch.Counts[..(_batch.SampleCount * Channels)],
        };
    }

    /// <summary>The copy the remote sink makes per batch: every frame of 10 ms into a new batch.</summary>
    [Benchmark]
    public FrameBatch Pack()
    {
        int frames = BatchSamples / FrameSamples;
        var batch = new FrameBatch(Channels, frames, BatchSamples, 16);
        for (int f = 0; f < frames; f++)
        {
            var record = new FrameRecord { FirstSampleIndex = (long)f * FrameSamples, SampleCount = FrameSamples };
            batch.TryAppend(record, _slabMicrovolts, _slabCounts, ReadOnlySpan<TriggerEvent>.Empty);
        }
        return batch;
    }

    [Benchmark(Baseline = true)]
    public byte[] Write() => RemoteSinkSerializer.WriteBatch(_batch);

    /// <summary>Into a reused buffer: the serializer's cost without the array it returns to Akka.</summary>
    [Benchmark]
    public int WriteIntoBuffer()
    {
        RemoteSinkSerializer.WriteBatch(_batch, _scratch);
        return _scratch[^1];
    }

    /// <summary>The samples written one value at a time, what the block copy replaces.</summary>
    [Benchmark]
    public int WritePerValue()
    {
        Span<byte> d = _scratch;
        int at = RemoteSinkSerializer.HeaderLengthV1 + _batch.FrameCount * RemoteSinkSerializer.FrameRecordLengthV1;
        int values = _batch.SampleCount * Channels;
        for (int i = 0; i < values; i++, at += 4) BinaryPrimitives.WriteSingleLittleEndian(d[at..], _batch.Microvolts[i]);
        for (int i = 0; i < values; i++, at += 4) BinaryPrimitives.WriteInt32LittleEndian(d[at..], _batch.Counts[i]);
        return at;
    }

    [Benchmark]
    public FrameBatch Read() => RemoteSinkSerializer.ReadBatch(_wire);

    /// <summary>The same samples through System.Text.Json, what a default serializer would cost.</summary>
    [Benchmark]
    public byte[] WriteJson() => JsonSerializer.SerializeToUtf8Bytes(_json);

    public sealed class JsonPayload
    {
        public long[] FirstSampleIndex { get; set; } = [];
        public float[] Microvolts { get; set; } = [];
        public int[] Counts { get; set; } = [];
    }
}
