using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using Eeg.Gateway.Streaming;

namespace Eeg.Bench;

/// <summary>
/// The WebSocket frame encoder: one frame of 32 channels (1 and 40 samples) into the wire format
/// (docs/protocol.md), from a pooled buffer with a block copy of the sample-major floats, against a
/// fresh array per frame filled float by float.
/// </summary>
public class ScopeEncodeBenchmarks
{
    [Params(1, 40)]
    public int Samples;

    private readonly EncodedFramePool _pool = new();
    private float[] _microvolts = [];

    [GlobalSetup]
    public void Setup()
    {
        _microvolts = new float[32 * Samples];
        for (int i = 0; i < _microvolts.Length; i++) _microvolts[i] = i * 0.5f;
    }

    [Benchmark(Baseline = true)]
    public int PooledBlockCopy()
    {
        EncodedFrame frame = _pool.Rent(WireFormat.FrameBytes(32, Samples));
        frame.Encode(_microvolts, 32, Samples, 0, 1234, 5678);
        int length = frame.Length;
        frame.Release();
        return length;
    }

    [Benchmark]
    public int FreshArrayPerFloat()
    {
        byte[] bytes = new byte[WireFormat.HeaderBytes + 4 * _microvolts.Length];
        "EEG1"u8.CopyTo(bytes);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(4), (ushort)WireFormat.HeaderBytes);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(6), 32);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), (uint)Samples);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(16), 1234);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(24), 5678);
        for (int i = 0; i < _microvolts.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(WireFormat.HeaderBytes + 4 * i), _microvolts[i]);
        return bytes.Length;
    }
}
