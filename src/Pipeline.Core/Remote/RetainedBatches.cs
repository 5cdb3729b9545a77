using Eeg.Shared.Remote;

namespace Eeg.Pipeline.Remote;

/// <summary>
/// What a lossless remote sink keeps until its consumer acknowledges it: a ring of the oldest
/// batches in memory, then the newer ones in a <see cref="SpoolFile"/>. Sequences are contiguous
/// from <see cref="FirstSequence"/>; only batches in memory are sent, and the spool refills memory
/// as acknowledgements free it, so the order on the wire is the order of the stream.
/// </summary>
public sealed class RetainedBatches : IDisposable
{
    private readonly FrameBatch?[] _memory;
    private readonly SpoolFile _spool;
    private int _head, _count;

    public RetainedBatches(int memoryBatches, SpoolFile spool)
    {
        if (memoryBatches < 1) throw new ArgumentOutOfRangeException(nameof(memoryBatches));
        _memory = new FrameBatch?[memoryBatches];
        _spool = spool;
    }

    /// <summary>Sequence of the oldest batch kept (or of the next one when nothing is kept).</summary>
    public long FirstSequence { get; private set; } = 1;

    /// <summary>Sequence the next added batch gets.</summary>
    public long NextSequence => FirstSequence + _count + _spool.Count;

    public int InMemory => _count;
    public SpoolFile Spool => _spool;

    /// <summary>Numbers and keeps a batch; false (batch not numbered) when memory and spool are both full.</summary>
    public bool TryAdd(FrameBatch batch)
    {
        batch.Sequence = NextSequence;
        if (_spool.Count == 0 && _count < _memory.Length)
        {
            _memory[(_head + _count) % _memory.Length] = batch;
            _count++;
            return true;
        }
        return _spool.TryAppend(batch);
    }

    /// <summary>The batch with this sequence if it is in memory (ready to send), else null.</summary>
    public FrameBatch? InMemoryAt(long sequence)
    {
        long offset = sequence - FirstSequence;
        return offset >= 0 && offset < _count ? _memory[(_head + (int)offset) % _memory.Length] : null;
    }

    /// <summary>Forgets every batch up to <paramref name="sequence"/> and refills memory from the spool.</summary>
    public void AcknowledgeThrough(long sequence)
    {
        while (_count > 0 && FirstSequence <= sequence)
        {
            _memory[_head] = null;
            _head = (_head + 1) % _memory.Length;
            _count--;
            FirstSequence++;
        }
        while (_count < _memory.Length && _spool.Count > 0)
        {
            _memory[(_head + _count) % _memory.Length] = _spool.Take();
            _count++;
        }
    }

    public void Dispose() => _spool.Dispose();
}
