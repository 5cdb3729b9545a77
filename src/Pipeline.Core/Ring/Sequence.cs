using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Eeg.Pipeline.Queues;

namespace Eeg.Pipeline.Ring;

/// <summary>
/// A 64-bit counter shared between threads: the ring's cursor (last published slot) and each
/// consumer's progress (last slot it finished). The producer reads every consumer's sequence before
/// it may reuse a slot, and every consumer reads the cursor, so each sequence is written by one thread
/// and read by several.
/// </summary>
/// <remarks>
/// Padding: the value sits <see cref="CacheLine.Padding"/> bytes after the start of the object's fields
/// and is followed by <see cref="CacheLine.Padding"/> bytes to the end of the object, so no other object's hot field
/// can share its 64-byte cache line (the object header and method table pointer sit before the padding;
/// they are read-only after construction). Without it, the cursor and a consumer's sequence allocated
/// side by side would share one line and every publish would invalidate the consumer's line and the
/// other way round ("false sharing", a ~50-100 ns cache-line transfer per write instead of ~1 ns).
/// Cost: 136 bytes instead of 8 per sequence, a handful of sequences per ring. SequenceTests
/// asserts the offsets; RingBenchmarks (bench/, written separately) shows the throughput with it.
/// </remarks>
[StructLayout(LayoutKind.Explicit, Size = 2 * CacheLine.Padding + sizeof(long))]
public sealed class Sequence
{
    /// <summary>The value of a sequence before anything was published or consumed.</summary>
    public const long InitialValue = -1;

    [FieldOffset(CacheLine.Padding)]
    private long _value;

    // The runtime ignores StructLayout.Size on classes (measured: without this field the object ends
    // right after _value), so the padding after the value is a real field at the end.
#pragma warning disable CS0169 // never read or written: it only reserves the bytes
    [FieldOffset(2 * CacheLine.Padding)]
    private long _trailingPadding;
#pragma warning restore CS0169

    public Sequence(long initial = InitialValue)
    {
        // Plain store: the constructor runs before the object is shared, and whoever shares it
        // (a volatile array store in RingBuffer, a thread start) publishes it with release semantics.
        _value = initial;
    }

    /// <summary>
    /// The current value, read with acquire semantics: reads that follow in program order (the slot's
    /// contents after reading the cursor, or the producer's write into a slot after reading a consumer's
    /// sequence) cannot be moved before this load. x86 gives this for free; arm64 needs the ldar.
    /// </summary>
    public long Value
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Volatile.Read(ref _value);
    }

    /// <summary>
    /// Stores with release semantics: every write before it (the slot's contents for the cursor; the
    /// consumer's reads of the slot for a consumer sequence) is visible before the new value. This is
    /// the store that publishes; on arm64 it is an stlr, a plain store would let the slot's data
    /// arrive after the cursor and a consumer would read the previous lap's event.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void SetValue(long value) => Volatile.Write(ref _value, value);

    /// <summary>
    /// Stores and then issues a full fence (StoreLoad): loads after this call cannot be satisfied before
    /// the store is visible to other cores. Needed only where a thread writes one shared value and then
    /// reads another that a second thread writes in the mirror order (Dekker pattern).
    /// </summary>
    public void SetValueVolatile(long value) => Interlocked.Exchange(ref _value, value);

    /// <summary>Atomically replaces the value when it equals <paramref name="expected"/> (full fence).</summary>
    public bool CompareAndSet(long expected, long next) => Interlocked.CompareExchange(ref _value, next, expected) == expected;

    /// <summary>Atomically adds and returns the new value (full fence).</summary>
    public long AddAndGet(long increment) => Interlocked.Add(ref _value, increment);

    /// <summary>Atomically adds one and returns the new value (full fence).</summary>
    public long IncrementAndGet() => Interlocked.Increment(ref _value);

    /// <summary>The field itself, for the layout test only.</summary>
    internal ref long ValueReference => ref _value;

    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
