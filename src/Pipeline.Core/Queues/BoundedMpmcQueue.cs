using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Eeg.Pipeline.Queues;

/// <summary>
/// A bounded, lock-free, allocation-free multi-producer multi-consumer queue (Dmitry Vyukov's
/// bounded MPMC array queue). Used for the slab pool's free list (rented by the reader thread,
/// returned by whichever sink lets go last) and as the storage of every per-sink policy queue.
/// </summary>
/// <remarks>
/// Why not <see cref="System.Collections.Concurrent.ConcurrentQueue{T}"/>: it grows by allocating
/// segments and is unbounded; a pool and a sink queue must have a hard bound and never allocate
/// after start-up. Why not a lock: the slab pool is touched by the reader thread on every DRDY, and a
/// lock taken by a releasing sink at the same moment would make the reader wait (it must never block).
/// Capacity is exact (index modulo capacity, not a power-of-two mask): a sink's depth of 4 means 4.
/// The modulo costs a division per operation (a few ns), irrelevant at 4000 frames/s.
/// </remarks>
public sealed class BoundedMpmcQueue<T> where T : class?
{
    private struct Cell
    {
        // Sequence number of the cell: equal to the position when free for the producer at that
        // position, position + 1 when holding an item for the consumer at that position.
        public long Sequence;
        public T? Item;
    }

    private readonly Cell[] _cells;
    private readonly int _capacity;
    private readonly int _cellCount;
    private PaddedLong _enqueuePosition;
    private PaddedLong _dequeuePosition;

    public BoundedMpmcQueue(int capacity)
    {
        if (capacity < 1) throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "capacity must be at least 1");
        _capacity = capacity;
        // The algorithm needs two cells at least: with one, "free for the next lap" (position +
        // cells) and "full" (position + 1) are the same number. A depth-1 queue (the recorder's
        // default) therefore has two cells and a logical bound checked at enqueue; that check is
        // exact for one producer, which is how every depth-1 queue here is used.
        _cellCount = Math.Max(2, capacity);
        _cells = new Cell[_cellCount];
        for (int i = 0; i < _cellCount; i++) _cells[i].Sequence = i;
    }

    /// <summary>The bound given at construction.</summary>
    public int Capacity => _capacity;

    /// <summary>Approximate number of items (exact when no operation is in flight).</summary>
    public int Count
    {
        get
        {
            long count = Volatile.Read(ref _enqueuePosition.Value) - Volatile.Read(ref _dequeuePosition.Value);
            return (int)Math.Clamp(count, 0, _capacity);
        }
    }

    /// <summary>Adds an item; false when the queue is full. Never blocks, never allocates.</summary>
    public bool TryEnqueue(T item)
    {
        long position = Volatile.Read(ref _enqueuePosition.Value);
        while (true)
        {
            if (_cellCount != _capacity && position - Volatile.Read(ref _dequeuePosition.Value) >= _capacity)
            {
                return false; // logically full (depth-1 queue)
            }
            ref Cell cell = ref _cells[position % _cellCount];
            // Acquire: the sequence must be read before the item slot is written, or we could
            // overwrite an item a consumer has not finished reading (matters on ARM, not x86).
            long sequence = Volatile.Read(ref cell.Sequence);
            long difference = sequence - position;
            if (difference == 0)
            {
                if (Interlocked.CompareExchange(ref _enqueuePosition.Value, position + 1, position) == position)
                {
                    cell.Item = item;
                    // Release: the item must be visible before the sequence that tells consumers it is there.
                    Volatile.Write(ref cell.Sequence, position + 1);
                    return true;
                }
                position = Volatile.Read(ref _enqueuePosition.Value);
            }
            else if (difference < 0)
            {
                return false; // full: the cell still holds an item from one lap ago
            }
            else
            {
                position = Volatile.Read(ref _enqueuePosition.Value);
            }
        }
    }

    /// <summary>Takes the oldest item; false when the queue is empty. Never blocks, never allocates.</summary>
    public bool TryDequeue([MaybeNullWhen(false)] out T item)
    {
        long position = Volatile.Read(ref _dequeuePosition.Value);
        while (true)
        {
            ref Cell cell = ref _cells[position % _cellCount];
            // Acquire: the item must be read after the sequence that publishes it.
            long sequence = Volatile.Read(ref cell.Sequence);
            long difference = sequence - (position + 1);
            if (difference == 0)
            {
                if (Interlocked.CompareExchange(ref _dequeuePosition.Value, position + 1, position) == position)
                {
                    item = cell.Item!;
                    cell.Item = default; // do not keep the slab reachable from a free cell
                    // Release: the slot is handed back to producers only after the item was read out.
                    Volatile.Write(ref cell.Sequence, position + _cellCount);
                    return true;
                }
                position = Volatile.Read(ref _dequeuePosition.Value);
            }
            else if (difference < 0)
            {
                item = default;
                return false; // empty
            }
            else
            {
                position = Volatile.Read(ref _dequeuePosition.Value);
            }
        }
    }
}
