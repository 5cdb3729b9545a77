namespace Eeg.Tests.Processing.Node.Recording;

/// <summary>A file stream whose writes block while its gate is closed: a disk that stalls.</summary>
internal sealed class GateStream : Stream
{
    private readonly Stream _inner;
    private readonly ManualResetEventSlim _gate = new(false);
    private int _blockedWrites;

    public GateStream(Stream inner) => _inner = inner;

    /// <summary>Writes that found the gate closed and waited.</summary>
    public int BlockedWrites => Volatile.Read(ref _blockedWrites);
    public ManualResetEventSlim EnteredStall { get; } = new(false);

    public void Open() => _gate.Set();

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (!_gate.IsSet)
        {
            Interlocked.Increment(ref _blockedWrites);
            EnteredStall.Set();
            _gate.Wait();
        }
        _inner.Write(buffer);
    }

    public override void Flush() => _inner.Flush();
    public override bool CanRead => false;
    public override bool CanSeek => true;
    public override bool CanWrite => true;
    public override long Length => _inner.Length;
    public override long Position { get => _inner.Position; set => _inner.Position = value; }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => _inner.Seek(offset, origin);
    public override void SetLength(long value) => _inner.SetLength(value);

    protected override void Dispose(bool disposing)
    {
        if (disposing) _inner.Dispose();
        base.Dispose(disposing);
    }
}

/// <summary>A file stream whose first write after the header takes <c>stall</c> longer: an SD card's pause.</summary>
internal sealed class SlowOnceStream : Stream
{
    private readonly Stream _inner;
    private readonly TimeSpan _stall;
    private int _stalled;

    public SlowOnceStream(Stream inner, TimeSpan stall)
    {
        _inner = inner;
        _stall = stall;
    }

    public bool Stalled => Volatile.Read(ref _stalled) == 1;

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (_inner.Position > 0 && Interlocked.Exchange(ref _stalled, 1) == 0) Thread.Sleep(_stall); // the fake disk's pause, not a poll
        _inner.Write(buffer);
    }

    public override void Flush() => _inner.Flush();
    public override bool CanRead => false;
    public override bool CanSeek => true;
    public override bool CanWrite => true;
    public override long Length => _inner.Length;
    public override long Position { get => _inner.Position; set => _inner.Position = value; }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => _inner.Seek(offset, origin);
    public override void SetLength(long value) => _inner.SetLength(value);

    protected override void Dispose(bool disposing)
    {
        if (disposing) _inner.Dispose();
        base.Dispose(disposing);
    }
}

/// <summary>A file stream that throws "No space left on device" when the file would grow past a byte budget (overwriting in place still works, as on a real full disk).</summary>
internal sealed class FullDiskStream : Stream
{
    private readonly Stream _inner;
    private readonly long _budget;

    public FullDiskStream(Stream inner, long budget)
    {
        _inner = inner;
        _budget = budget;
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        long end = _inner.Position + buffer.Length;
        if (end > _budget)
        {
            // A real full disk takes part of the write before failing: leave a partial record behind.
            int part = (int)Math.Max(0, _budget - _inner.Position);
            _inner.Write(buffer[..part]);
            throw new IOException("No space left on device", 28);
        }
        _inner.Write(buffer);
    }

    public override void Flush() => _inner.Flush();
    public override bool CanRead => false;
    public override bool CanSeek => true;
    public override bool CanWrite => true;
    public override long Length => _inner.Length;
    public override long Position { get => _inner.Position; set => _inner.Position = value; }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => _inner.Seek(offset, origin);
    public override void SetLength(long value) => _inner.SetLength(value);

    protected override void Dispose(bool disposing)
    {
        if (disposing) _inner.Dispose();
        base.Dispose(disposing);
    }
}

/// <summary>A seekable stream that keeps only its length: for allocation tests, where the disk is not the subject.</summary>
internal sealed class DiscardStream : Stream
{
    private long _length;
    private long _position;

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _position += buffer.Length;
        if (_position > _length) _length = _position;
    }

    public override void Flush() { }
    public override bool CanRead => false;
    public override bool CanSeek => true;
    public override bool CanWrite => true;
    public override long Length => _length;
    public override long Position { get => _position; set => _position = value; }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => _position = origin switch
    {
        SeekOrigin.Begin => offset,
        SeekOrigin.Current => _position + offset,
        _ => _length + offset,
    };
    public override void SetLength(long value) => _length = value;
}

/// <summary>A temporary folder deleted after the test.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "eeg-rec-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
    }
}
