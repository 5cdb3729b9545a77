namespace Eeg.Gateway.Streaming;

/// <summary>
/// One binary message waiting in a client's queue: the frames that coalesced into it while the
/// client's previous send was in flight. Allocated once per queue slot and reused.
/// </summary>
internal sealed class PendingMessage
{
    private readonly EncodedFrame?[] _frames;

    public PendingMessage(int maxFrames) => _frames = new EncodedFrame?[maxFrames];

    public int Count { get; private set; }

    /// <summary>Wire bytes of the frames as encoded (a subset or decimation only makes them smaller).</summary>
    public int Bytes { get; private set; }

    public bool HasRoomFor(int bytes, int maxBytes) => Count < _frames.Length && (Count == 0 || Bytes + bytes <= maxBytes);

    /// <summary>Takes a reference on the frame and appends it.</summary>
    public void Add(EncodedFrame frame)
    {
        frame.AddReference();
        _frames[Count++] = frame;
        Bytes += frame.Length;
    }

    public EncodedFrame this[int index] => _frames[index]!;

    /// <summary>Releases every frame and empties the message.</summary>
    public void ReleaseAll()
    {
        for (int i = 0; i < Count; i++)
        {
            _frames[i]!.Release();
            _frames[i] = null;
        }
        Count = 0;
        Bytes = 0;
    }
}
