namespace Eeg.Gateway.Streaming;

/// <summary>
/// One frame in wire format, encoded once by the scope sink and shared by every client queue
/// that holds it. Reference-counted: the last client to copy it out returns it to its pool.
/// </summary>
/// <remarks>
/// Why not hold the <see cref="Eeg.Pipeline.Slabs.Slab"/> instead: the slab pool is sized for the
/// sink queue depths, not for the number of browsers, and a stalled browser holding slabs would
/// starve the reader. These buffers belong to the gateway, so a slow client costs the gateway's
/// memory (bounded by its queue depth), never the pipeline's.
/// </remarks>
public sealed class EncodedFrame
{
    private readonly EncodedFramePool _owner;
    private int _references;

    internal EncodedFrame(EncodedFramePool owner, int capacity)
    {
        _owner = owner;
        Buffer = new byte[capacity];
    }

    /// <summary>The wire bytes; the first <see cref="Length"/> are valid.</summary>
    public byte[] Buffer { get; private set; }

    /// <summary>Valid bytes in <see cref="Buffer"/>.</summary>
    public int Length { get; private set; }

    public int Channels { get; private set; }
    public int Samples { get; private set; }
    public uint Flags { get; private set; }
    public long FirstSampleIndex { get; private set; }
    public long FirstSampleUnixNs { get; private set; }

    /// <summary>The valid wire bytes.</summary>
    public ReadOnlySpan<byte> Bytes => Buffer.AsSpan(0, Length);

    /// <summary>The samples as float32 (sample-major), without the header.</summary>
    public ReadOnlySpan<byte> Body => Buffer.AsSpan(WireFormat.HeaderBytes, Length - WireFormat.HeaderBytes);

    internal int References => Volatile.Read(ref _references);

    /// <summary>Encodes a frame into this buffer (growing it only if a larger frame than ever before arrives).</summary>
    internal void Encode(ReadOnlySpan<float> microvolts, int channels, int samples, uint flags, long firstSampleIndex, long firstSampleUnixNs)
    {
        int length = WireFormat.FrameBytes(channels, samples);
        if (Buffer.Length < length)
        {
            Buffer = new byte[length];
            _owner.CountGrowth();
        }
        Length = WireFormat.WriteFrame(Buffer, microvolts, channels, samples, flags, firstSampleIndex, firstSampleUnixNs);
        Channels = channels;
        Samples = samples;
        Flags = flags & WireFormat.WireFlagsMask;
        FirstSampleIndex = firstSampleIndex;
        FirstSampleUnixNs = firstSampleUnixNs;
    }

    internal void SetReferences(int count) => Volatile.Write(ref _references, count);

    internal void AddReference() => Interlocked.Increment(ref _references);

    /// <summary>Lets go of one reference; the last one returns the frame to its pool.</summary>
    public void Release()
    {
        int remaining = Interlocked.Decrement(ref _references);
        if (remaining == 0)
        {
            _owner.Return(this);
        }
        else if (remaining < 0)
        {
            throw new InvalidOperationException("Encoded frame released more times than it was held.");
        }
    }
}
