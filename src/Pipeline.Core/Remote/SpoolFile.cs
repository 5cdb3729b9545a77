using System.Buffers.Binary;
using Eeg.Shared.Remote;

namespace Eeg.Pipeline.Remote;

/// <summary>
/// Unacknowledged batches of a lossless remote sink beyond what memory keeps, in arrival order:
/// appended at the end, taken from the front, the file truncated whenever it empties. Bounded by
/// <see cref="MaxBytes"/> of file extent: past it the caller drops and counts.
/// </summary>
/// <remarks>
/// Written by the remote sink's actor, never by the DSP thread: a disk that stalls delays that actor
/// (its lossless mailbox then waits up to its timeout), not the reader. The file is deleted on
/// dispose; it does not survive the acquisition node (the spool is for the consumer's outage).
/// </remarks>
public sealed class SpoolFile(string path, long maxBytes) : IDisposable
{
    private readonly byte[] _length = new byte[4];
    private FileStream? _file;
    private long _writeAt, _readAt;

    public string Path { get; } = path;
    public long MaxBytes { get; } = maxBytes;

    /// <summary>Batches in the file.</summary>
    public int Count { get; private set; }

    /// <summary>Frames in the file.</summary>
    public long Frames { get; private set; }

    /// <summary>Bytes in use (from the front still to be read to the end).</summary>
    public long Bytes => _writeAt - _readAt;

    /// <summary>Appends a batch; false (nothing written) when the file would pass <see cref="MaxBytes"/>.</summary>
    public bool TryAppend(FrameBatch batch)
    {
        int length = RemoteSinkSerializer.BatchLength(batch);
        if (_writeAt + 4 + length > MaxBytes) return false;
        _file ??= Open();
        byte[] bytes = RemoteSinkSerializer.WriteBatch(batch);
        BinaryPrimitives.WriteInt32LittleEndian(_length, bytes.Length);
        _file.Position = _writeAt;
        _file.Write(_length);
        _file.Write(bytes);
        _writeAt += 4 + bytes.Length;
        Count++;
        Frames += batch.FrameCount;
        return true;
    }

    /// <summary>Takes the oldest batch out.</summary>
    public FrameBatch Take()
    {
        if (Count == 0 || _file is null) throw new InvalidOperationException("The spool is empty.");
        _file.Position = _readAt;
        _file.ReadExactly(_length);
        var bytes = new byte[BinaryPrimitives.ReadInt32LittleEndian(_length)];
        _file.ReadExactly(bytes);
        _readAt += 4 + bytes.Length;
        FrameBatch batch = RemoteSinkSerializer.ReadBatch(bytes);
        Count--;
        Frames -= batch.FrameCount;
        if (Count == 0)
        {
            _readAt = _writeAt = 0;
            _file.SetLength(0);
        }
        return batch;
    }

    private FileStream Open()
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!);
        return new FileStream(Path, FileMode.Create, FileAccess.ReadWrite, FileShare.Read, 64 * 1024, FileOptions.DeleteOnClose);
    }

    public void Dispose()
    {
        _file?.Dispose();
        _file = null;
    }
}
