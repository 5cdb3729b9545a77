using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Eeg.Shared.Frames;

namespace Eeg.Gateway.Streaming;

/// <summary>
/// The binary frame of the WebSocket stream (docs/protocol.md), little-endian:
/// <code>
///  0      4      6      8          12     16                 24                 32
///  +------+------+------+----------+------+------------------+------------------+--------------------+
///  | EEG1 | hlen | C    | N        |flags | first index u64  | first time ns i64| N*C float32 uV     |
///  +------+------+------+----------+------+------------------+------------------+--------------------+
/// </code>
/// Only the low two flag bits (gap, triggers) go on the wire.
/// </summary>
public static class WireFormat
{
    /// <summary>"EEG1" read as a little-endian uint32.</summary>
    public const uint Magic = 0x3147_4545;

    /// <summary>Bytes of the header this version writes; a reader skips any header bytes it does not know.</summary>
    public const int HeaderBytes = 32;

    /// <summary>The flag bits that are part of the wire format.</summary>
    public const uint WireFlagsMask = (uint)(FrameFlags.Gap | FrameFlags.Triggers);

    /// <summary>Bytes of one encoded frame.</summary>
    public static int FrameBytes(int channels, int samples) => HeaderBytes + 4 * channels * samples;

    /// <summary>Writes the 32-byte header at the start of <paramref name="destination"/>.</summary>
    public static void WriteHeader(Span<byte> destination, int channels, int samples, uint flags, long firstSampleIndex, long firstSampleUnixNs)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(destination, Magic);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[4..], HeaderBytes);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[6..], (ushort)channels);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[8..], (uint)samples);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[12..], flags & WireFlagsMask);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[16..], (ulong)firstSampleIndex);
        BinaryPrimitives.WriteInt64LittleEndian(destination[24..], firstSampleUnixNs);
    }

    /// <summary>
    /// Writes a whole frame: header, then the sample-major microvolts. Returns the bytes written.
    /// </summary>
    /// <remarks>
    /// The samples are one block copy into a buffer the caller reuses: the slab is already
    /// sample-major float32, the wire order, and every host we run on (x64, the Pi's arm64) is
    /// little-endian, so the float bits are the wire bytes. Measured against the naive encoder (a
    /// fresh byte[] per frame, one BinaryPrimitives.WriteSingleLittleEndian per value), Release,
    /// x64 dev box under load (load average 17), Stopwatch over 2 M frames:
    ///   32 ch x 1 sample:  27 ns and 0 B per frame vs 168 ns and 184 B (21 gen-0 GCs per 2 M frames);
    ///   32 ch x 40 samples: 92 ns and 0 B per frame vs 1963 ns and 5176 B (620 gen-0 GCs).
    /// The cost: buffers are pooled and reference-counted (EncodedFrame). ScopeSinkAllocationTests
    /// proves 0 bytes per frame; a BenchmarkDotNet version belongs in bench/Pipeline.Benchmarks
    /// (ScopeEncodeBenchmarks, not written yet). A big-endian host takes the loop.
    /// </remarks>
    public static int WriteFrame(Span<byte> destination, ReadOnlySpan<float> microvolts, int channels, int samples, uint flags, long firstSampleIndex, long firstSampleUnixNs)
    {
        int length = FrameBytes(channels, samples);
        if (destination.Length < length) throw new ArgumentException("Destination too small for the frame.", nameof(destination));
        WriteHeader(destination, channels, samples, flags, firstSampleIndex, firstSampleUnixNs);
        ReadOnlySpan<float> values = microvolts[..(channels * samples)];
        Span<byte> body = destination.Slice(HeaderBytes, length - HeaderBytes);
        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.AsBytes(values).CopyTo(body);
        }
        else
        {
            for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(body[(4 * i)..], values[i]);
        }
        return length;
    }

    /// <summary>A frame's header fields, as a reader sees them.</summary>
    public readonly record struct Header(int HeaderLength, int Channels, int Samples, uint Flags, long FirstSampleIndex, long FirstSampleUnixNs)
    {
        /// <summary>Bytes of the frame: header plus samples.</summary>
        public int FrameLength => HeaderLength + 4 * Channels * Samples;
    }

    /// <summary>Reads the header at the start of <paramref name="source"/>; false when it is not an EEG1 frame.</summary>
    public static bool TryReadHeader(ReadOnlySpan<byte> source, out Header header)
    {
        header = default;
        if (source.Length < HeaderBytes || BinaryPrimitives.ReadUInt32LittleEndian(source) != Magic) return false;
        int headerLength = BinaryPrimitives.ReadUInt16LittleEndian(source[4..]);
        if (headerLength < HeaderBytes) return false;
        header = new Header(
            headerLength,
            BinaryPrimitives.ReadUInt16LittleEndian(source[6..]),
            (int)BinaryPrimitives.ReadUInt32LittleEndian(source[8..]),
            BinaryPrimitives.ReadUInt32LittleEndian(source[12..]),
            (long)BinaryPrimitives.ReadUInt64LittleEndian(source[16..]),
            BinaryPrimitives.ReadInt64LittleEndian(source[24..]));
        return true;
    }
}
