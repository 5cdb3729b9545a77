using System.Numerics;
using System.Runtime.CompilerServices;
using Eeg.Pipeline.Queues;

namespace Eeg.Pipeline.Ring;

/// <summary>
/// A pre-allocated ring of slots with one producer and any number of consumers, after the LMAX
/// Disruptor: the producer claims a sequence, fills that slot in place and publishes it by moving the
/// cursor; each consumer follows the cursor (or an upstream consumer) through a
/// <see cref="SequenceBarrier"/> and records its progress in its own <see cref="Sequence"/>. The
/// producer may reuse a slot only when every gating sequence (normally the last consumers of each
/// chain) has passed it.
/// </summary>
/// <remarks>
/// Why our own ring: the Disruptor NuGet package is not available here. Why a ring and not a queue per
/// consumer: the slots are allocated once (no allocation per event), several consumers read the same
/// slot without copying, a consumer that falls behind handles everything available in one batch, and
/// the producer never takes a lock or does a CAS (single producer). RingBenchmarks (bench/) compares it
/// with System.Threading.Channels and ConcurrentQueue in the same run.
///
/// Single producer: <see cref="TryNext"/>, <see cref="Next"/> and <see cref="Publish"/> must be called
/// from one thread (the reader thread), and each claimed sequence must be published, in order, before
/// the next claim is published. Add the consumers' gating sequences before the first publish: a ring
/// with no gating sequence never holds the producer back and overwrites freely.
/// <code>
/// var ring = RingBuffer&lt;FrameSlot&gt;.CreateSingleProducer(() =&gt; new FrameSlot(), 1024, WaitStrategies.Create(kind));
/// var dsp = new BatchEventProcessor&lt;FrameSlot&gt;(ring, ring.NewBarrier(), dspHandler);
/// ring.AddGatingSequences(dsp.Sequence);               // or the last consumer of each chain
/// dsp.StartOnNewThread("dsp", ThreadPriority.AboveNormal);
/// // reader thread, per frame:
/// if (!ring.TryNext(out long seq)) { overruns++; return; } // never waits
/// ring[seq].Slab = slab; ring.Publish(seq);
/// // shutdown: dsp.Halt(); thread.Join();
/// </code>
/// </remarks>
public sealed class RingBuffer<T> where T : class
{
    private readonly T[] _entries;
    private readonly int _indexMask;
    private readonly IWaitStrategy _waitStrategy;
    private readonly Sequence _cursor = new();
    private readonly object _gatingLock = new();

    // Copy-on-write: replaced (never mutated) under _gatingLock, read by the producer without a lock.
    private Sequence[] _gatingSequences = Array.Empty<Sequence>();

    // Producer-only state, written on every claim. Padded so that consumers reading the read-only fields
    // above (entries, mask) do not share a cache line with it; see ProducerClaimState.
    private ProducerClaimState _producer;

    private RingBuffer(Func<T> factory, int size, IWaitStrategy waitStrategy)
    {
        _entries = new T[size];
        for (int i = 0; i < size; i++)
        {
            _entries[i] = factory() ?? throw new ArgumentException("the slot factory returned null", nameof(factory));
        }
        _indexMask = size - 1;
        _waitStrategy = waitStrategy;
        _producer.Next = Sequence.InitialValue;
        _producer.CachedGate = Sequence.InitialValue;
    }

    /// <summary>
    /// A ring for one producer thread. <paramref name="size"/> must be a power of two: the slot of a
    /// sequence is then <c>sequence &amp; (size - 1)</c>, one AND instead of a 64-bit division (~20-40
    /// cycles) on every access by every thread.
    /// </summary>
    public static RingBuffer<T> CreateSingleProducer(Func<T> factory, int size, IWaitStrategy waitStrategy)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(waitStrategy);
        if (size < 1 || !BitOperations.IsPow2(size))
        {
            throw new ArgumentException($"ring size must be a power of two (1, 2, 4, ... 1024, 2048 ...), got {size}", nameof(size));
        }
        return new RingBuffer<T>(factory, size, waitStrategy);
    }

    /// <summary>Number of slots.</summary>
    public int Size => _entries.Length;

    /// <summary>The last published sequence (-1 before the first publish).</summary>
    public long Cursor => _cursor.Value;

    /// <summary>The cursor as a sequence, for barriers and tests.</summary>
    internal Sequence CursorSequence => _cursor;

    /// <summary>The wait strategy consumers of this ring use.</summary>
    public IWaitStrategy WaitStrategy => _waitStrategy;

    /// <summary>
    /// The slot of <paramref name="sequence"/>. The producer may write it between claim and publish;
    /// a consumer may read it after its barrier returned a value at or past it.
    /// </summary>
    public T this[long sequence]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _entries[(int)sequence & _indexMask];
    }

    /// <summary>
    /// Claims the next slot without waiting. False when taking it would overwrite a slot that the slowest
    /// gating consumer has not finished: the reader then drops the sample and counts an overrun.
    /// </summary>
    public bool TryNext(out long sequence)
    {
        long current = _producer.Next;
        long next = current + 1;
        if (!HasCapacityFor(current, next))
        {
            sequence = Sequence.InitialValue;
            return false;
        }
        _producer.Next = next;
        sequence = next;
        return true;
    }

    /// <summary>
    /// Claims the next slot, spinning while the ring is full. For benchmarks and tests only: the reader
    /// must not wait (it uses <see cref="TryNext"/>). Never sleeps a fixed time.
    /// </summary>
    public long Next()
    {
        long current = _producer.Next;
        long next = current + 1;
        if (!HasCapacityFor(current, next))
        {
            SpinWait spin = default;
            do
            {
                // sleep1Threshold -1: yield the core when spinning long, never Thread.Sleep(1).
                spin.SpinOnce(sleep1Threshold: -1);
            }
            while (!HasCapacityFor(current, next));
        }
        _producer.Next = next;
        return next;
    }

    private bool HasCapacityFor(long current, long next)
    {
        long wrapPoint = next - _entries.Length;
        long cachedGate = _producer.CachedGate;
        // The cached minimum lets the producer skip reading every consumer's sequence (a cache miss each,
        // since consumers write them) until it could lap the slowest one; with a ring of 1024 that is one
        // read of the gating sequences per ~1000 claims while consumers keep up. The second test catches
        // a cache that is ahead of the producer (a gating sequence added or moved after it was cached).
        if (wrapPoint > cachedGate || cachedGate > current)
        {
            // Full fence (StoreLoad) before reading the gating sequences. The producer's earlier stores
            // (the last publish) must be visible before it reads what the consumers and AddGatingSequences
            // wrote: AddGatingSequences stores the new array and then reads the cursor, the producer
            // stores the cursor and then reads the array; without fences on both sides each could read
            // the other's old value and the producer would not gate on a consumer that starts at the
            // old cursor. Issue 10 reports Disruptor-net needed this fence on arm64; on x86 it is a
            // lock-prefixed op (~5-20 ns), paid once per ring lap, not per event.
            Interlocked.MemoryBarrier();
            long minimum = MinimumGatingSequence(current);
            _producer.CachedGate = minimum;
            if (wrapPoint > minimum)
            {
                return false;
            }
        }
        return true;
    }

    private long MinimumGatingSequence(long fallback)
    {
        // Acquire load of the array reference: its elements were fully built before it was stored.
        Sequence[] gating = Volatile.Read(ref _gatingSequences);
        long minimum = fallback;
        for (int i = 0; i < gating.Length; i++)
        {
            // Acquire load of each consumer sequence: the producer's later writes into the slot cannot
            // be moved before it, so it never overwrites a slot while a consumer still reads it (the
            // consumer released the slot with a release store of this sequence after reading it).
            minimum = Math.Min(minimum, gating[i].Value);
        }
        return minimum;
    }

    /// <summary>
    /// Makes the slot visible to consumers: a release store of the cursor (every write into the slot
    /// happens before it, on arm64 too), then wakes parked consumers if the strategy parks them.
    /// </summary>
    public void Publish(long sequence)
    {
        _cursor.SetValue(sequence);
        _waitStrategy.SignalAllWhenBlocking();
    }

    /// <summary>
    /// Makes the producer wait for these consumers before reusing a slot. Each one starts at the current
    /// cursor (it will see only events published after it was added). Allocates; call at set-up.
    /// </summary>
    public void AddGatingSequences(params Sequence[] gatingSequences)
    {
        ArgumentNullException.ThrowIfNull(gatingSequences);
        lock (_gatingLock)
        {
            long cursor = _cursor.Value;
            foreach (Sequence sequence in gatingSequences)
            {
                ArgumentNullException.ThrowIfNull(sequence, nameof(gatingSequences));
                sequence.SetValue(cursor);
            }
            Sequence[] current = _gatingSequences;
            Sequence[] updated = new Sequence[current.Length + gatingSequences.Length];
            current.CopyTo(updated, 0);
            gatingSequences.CopyTo(updated, current.Length);
            // Interlocked.Exchange: a full fence after the array store (the adder's half of the Dekker
            // pair with HasCapacityFor): the cursor read below sees any publish the producer made before
            // it could have read the old array.
            Interlocked.Exchange(ref _gatingSequences, updated);
            cursor = _cursor.Value;
            foreach (Sequence sequence in gatingSequences)
            {
                // Only ever moves a new consumer forward, to a cursor the producer may have reached
                // while the old array was in use; it never lets the producer lap it.
                if (sequence.Value < cursor)
                {
                    sequence.SetValue(cursor);
                }
            }
        }
    }

    /// <summary>Stops gating on a consumer (one that was halted). True when it was gating.</summary>
    public bool RemoveGatingSequence(Sequence sequence)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        lock (_gatingLock)
        {
            Sequence[] current = _gatingSequences;
            int index = Array.IndexOf(current, sequence);
            if (index < 0)
            {
                return false;
            }
            Sequence[] updated = new Sequence[current.Length - 1];
            Array.Copy(current, 0, updated, 0, index);
            Array.Copy(current, index + 1, updated, index, current.Length - index - 1);
            // Release store: the new array's elements are written before the producer, which loads the
            // reference with acquire semantics (MinimumGatingSequence), can see it. No fence needed as in
            // AddGatingSequences: gating on one consumer fewer can only let the producer go further.
            Volatile.Write(ref _gatingSequences, updated);
            return true;
        }
    }

    /// <summary>
    /// A barrier for a consumer that follows the cursor and, if given, stays behind
    /// <paramref name="sequencesToTrack"/> (upstream consumers in a dependency chain).
    /// </summary>
    public SequenceBarrier NewBarrier(params Sequence[] sequencesToTrack)
    {
        ArgumentNullException.ThrowIfNull(sequencesToTrack);
        return new SequenceBarrier(_waitStrategy, _cursor, sequencesToTrack);
    }

    /// <summary>Slots the producer can still claim before it would lap the slowest gating consumer.</summary>
    public long RemainingCapacity()
    {
        // Called from the producer thread (or for diagnostics, approximate from elsewhere).
        long produced = Volatile.Read(ref _producer.Next);
        long consumed = MinimumGatingSequence(produced);
        return _entries.Length - (produced - consumed);
    }

    /// <summary>The producer's claim state, for the layout test.</summary>
    internal ref ProducerClaimState ProducerStateForTests => ref _producer;
}
