using System.Buffers.Binary;
using Eeg.Gateway.Streaming;
using Eeg.Shared.Frames;

namespace Eeg.Tests.Gateway.Node;

public class WireFormatTests
{
    [Fact]
    public void A_frame_is_a_32_byte_little_endian_header_then_sample_major_float32()
    {
        float[] microvolts = [1.5f, -2.25f, 3f, 4f, 5f, 6f]; // 2 samples x 3 channels
        byte[] buffer = new byte[WireFormat.FrameBytes(3, 2)];

        int length = WireFormat.WriteFrame(buffer, microvolts, 3, 2, (uint)(FrameFlags.Gap | FrameFlags.Triggers | FrameFlags.Corrupt), 0x1_0000_0002L, 1_700_000_000_123_456_789L);

        Assert.Equal(32 + 4 * 6, length);
        Assert.Equal("EEG1", System.Text.Encoding.ASCII.GetString(buffer, 0, 4));
        Assert.Equal(32, BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(4)));
        Assert.Equal(3, BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(6)));
        Assert.Equal(2u, BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(8)));
        Assert.Equal(3u, BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(12))); // corrupt is not a wire flag
        Assert.Equal(0x1_0000_0002UL, BinaryPrimitives.ReadUInt64LittleEndian(buffer.AsSpan(16)));
        Assert.Equal(1_700_000_000_123_456_789L, BinaryPrimitives.ReadInt64LittleEndian(buffer.AsSpan(24)));
        for (int i = 0; i < microvolts.Length; i++)
        {
            Assert.Equal(microvolts[i], BinaryPrimitives.ReadSingleLittleEndian(buffer.AsSpan(32 + 4 * i)));
        }
    }

    [Fact]
    public void A_reader_skips_header_bytes_it_does_not_know()
    {
        byte[] buffer = new byte[40 + 4];
        WireFormat.WriteHeader(buffer, 1, 1, 0, 7, 0);
        BinaryPrimitives.WriteUInt16LittleEndian(buffer.AsSpan(4), 40); // a future, longer header

        Assert.True(WireFormat.TryReadHeader(buffer, out WireFormat.Header header));
        Assert.Equal(40, header.HeaderLength);
        Assert.Equal(44, header.FrameLength);
        Assert.Equal(7, header.FirstSampleIndex);
    }

    [Fact]
    public void Bytes_without_the_magic_are_not_a_frame()
    {
        Assert.False(WireFormat.TryReadHeader(new byte[32], out _));
    }
}
