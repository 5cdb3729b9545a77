using System.Runtime.CompilerServices;
using Eeg.Pipeline.Queues;
using Eeg.Pipeline.Ring;

namespace Eeg.Tests.Pipeline.Core.Ring;

public sealed class SequenceTests
{
    // Object header (sync block index) and method table pointer on a 64-bit runtime.
    private const int ObjectOverhead = 2 * sizeof(long);
    private const int MinimumPadding = 56;

    private sealed class RawObject
    {
        public byte FirstField = 0;
    }

    [Fact]
    public void A_new_sequence_starts_at_minus_one()
    {
        Assert.Equal(-1, Sequence.InitialValue);
        Assert.Equal(-1, new Sequence().Value);
        Assert.Equal(41, new Sequence(41).Value);
    }

    [Fact]
    public void Sequence_value_has_at_least_56_bytes_of_padding_on_both_sides()
    {
        var sequence = new Sequence();
        long offset = Unsafe.ByteOffset(ref Unsafe.As<RawObject>(sequence).FirstField, ref Unsafe.As<long, byte>(ref sequence.ValueReference));
        long fieldBytes = AllocatedSizeOfOneSequence() - ObjectOverhead;

        Assert.Equal(CacheLine.Padding, offset);
        Assert.True(offset >= MinimumPadding, $"only {offset} bytes before the value");
        long after = fieldBytes - offset - sizeof(long);
        Assert.True(after >= MinimumPadding, $"only {after} bytes after the value (object fields are {fieldBytes} bytes)");
    }

    private static long AllocatedSizeOfOneSequence()
    {
        // Exact: the allocation counter of this thread moves by the object's size.
        _ = new Sequence();
        long before = GC.GetAllocatedBytesForCurrentThread();
        var sequence = new Sequence();
        long size = GC.GetAllocatedBytesForCurrentThread() - before;
        GC.KeepAlive(sequence);
        return size;
    }

    [Fact]
    public void CompareAndSet_changes_the_value_only_when_it_matches()
    {
        var sequence = new Sequence(5);
        Assert.False(sequence.CompareAndSet(4, 9));
        Assert.Equal(5, sequence.Value);
        Assert.True(sequence.CompareAndSet(5, 9));
        Assert.Equal(9, sequence.Value);
    }

    [Fact]
    public void AddAndGet_and_the_setters_store_what_they_are_given()
    {
        var sequence = new Sequence(0);
        Assert.Equal(3, sequence.AddAndGet(3));
        Assert.Equal(4, sequence.IncrementAndGet());
        sequence.SetValue(100);
        Assert.Equal(100, sequence.Value);
        sequence.SetValueVolatile(200);
        Assert.Equal(200, sequence.Value);
    }

    [Fact]
    public void Concurrent_increments_from_four_threads_are_all_counted()
    {
        var sequence = new Sequence(0);
        const int perThread = 100_000;
        var threads = Enumerable.Range(0, 4).Select(_ => new Thread(() =>
        {
            for (int i = 0; i < perThread; i++) sequence.IncrementAndGet();
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        Assert.Equal(4 * perThread, sequence.Value);
    }

    [Fact]
    public void Producer_claim_state_is_padded_on_both_sides()
    {
        var state = default(ProducerClaimState);
        ref byte start = ref Unsafe.As<ProducerClaimState, byte>(ref state);
        long nextOffset = Unsafe.ByteOffset(ref start, ref Unsafe.As<long, byte>(ref state.Next));
        long gateOffset = Unsafe.ByteOffset(ref start, ref Unsafe.As<long, byte>(ref state.CachedGate));
        int size = Unsafe.SizeOf<ProducerClaimState>();

        Assert.True(Math.Min(nextOffset, gateOffset) >= MinimumPadding, $"only {Math.Min(nextOffset, gateOffset)} bytes before the claim state");
        long after = size - Math.Max(nextOffset, gateOffset) - sizeof(long);
        Assert.True(after >= MinimumPadding, $"only {after} bytes after the claim state");
    }
}
