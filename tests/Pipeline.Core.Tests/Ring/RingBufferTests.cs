using Eeg.Pipeline.Configuration;
using Eeg.Pipeline.Ring;
using static Eeg.Tests.Pipeline.Core.Ring.RingTestSupport;

namespace Eeg.Tests.Pipeline.Core.Ring;

public sealed class RingBufferTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(-4)]
    [InlineData(3)]
    [InlineData(1000)]
    public void Ring_size_that_is_not_a_power_of_two_is_refused_with_a_clear_message(int size)
    {
        var error = Assert.Throws<ArgumentException>(() => NewRing(size, WaitStrategyKind.Blocking));
        Assert.Contains("power of two", error.Message);
        Assert.Contains(size.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message);
        Assert.Equal("size", error.ParamName);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(1024)]
    public void Ring_of_a_power_of_two_size_has_that_many_distinct_preallocated_slots(int size)
    {
        var ring = NewRing(size, WaitStrategyKind.Blocking);
        Assert.Equal(size, ring.Size);
        var slots = Enumerable.Range(0, size).Select(i => ring[i]).ToHashSet(ReferenceEqualityComparer.Instance);
        Assert.Equal(size, slots.Count);
        Assert.Same(ring[0], ring[size]);
        Assert.Equal(-1, ring.Cursor);
    }

    [Fact]
    public void TryNext_returns_false_when_a_consumer_does_not_move_and_the_ring_is_full_then_true_once_it_moves()
    {
        var ring = NewRing(4, WaitStrategyKind.Blocking);
        var consumer = new Sequence();
        ring.AddGatingSequences(consumer);

        for (long expected = 0; expected < 4; expected++)
        {
            Assert.True(ring.TryNext(out long sequence));
            Assert.Equal(expected, sequence);
            ring.Publish(sequence);
        }
        Assert.Equal(0, ring.RemainingCapacity());
        Assert.False(ring.TryNext(out _)); // overrun: the reader would drop this sample
        Assert.False(ring.TryNext(out _)); // and keeps refusing while the consumer stands still
        Assert.Equal(3, ring.Cursor);

        consumer.SetValue(0); // the consumer finished slot 0
        Assert.Equal(1, ring.RemainingCapacity());
        Assert.True(ring.TryNext(out long next));
        Assert.Equal(4, next);
        ring.Publish(next);
        Assert.False(ring.TryNext(out _));

        consumer.SetValue(4);
        Assert.Equal(4, ring.RemainingCapacity());
        for (int i = 0; i < 4; i++) Assert.True(ring.TryNext(out _));
    }

    [Fact]
    public void The_producer_stays_behind_the_slowest_of_several_gating_consumers()
    {
        var ring = NewRing(4, WaitStrategyKind.Yielding);
        var fast = new Sequence();
        var slow = new Sequence();
        ring.AddGatingSequences(fast, slow);
        Publish(ring, 4);

        fast.SetValue(3);
        Assert.False(ring.TryNext(out _));
        slow.SetValue(1);
        Assert.True(ring.TryNext(out long a));
        Assert.True(ring.TryNext(out long b));
        Assert.Equal((4L, 5L), (a, b));
        Assert.False(ring.TryNext(out _));
    }

    [Fact]
    public void A_removed_gating_consumer_no_longer_holds_the_producer_back()
    {
        var ring = NewRing(2, WaitStrategyKind.Blocking);
        var stuck = new Sequence();
        ring.AddGatingSequences(stuck);
        Publish(ring, 2);
        Assert.False(ring.TryNext(out _));

        Assert.True(ring.RemoveGatingSequence(stuck));
        Assert.False(ring.RemoveGatingSequence(stuck));
        Assert.True(ring.TryNext(out long sequence));
        Assert.Equal(2, sequence);
    }

    [Fact]
    public void A_gating_consumer_added_later_starts_at_the_cursor()
    {
        var ring = NewRing(8, WaitStrategyKind.Blocking);
        Publish(ring, 5);
        var late = new Sequence();
        ring.AddGatingSequences(late);
        Assert.Equal(4, late.Value);
        Assert.Equal(8, ring.RemainingCapacity());
    }

    [Fact]
    public void Published_slot_is_visible_through_a_barrier_and_Next_claims_in_order()
    {
        var ring = NewRing(8, WaitStrategyKind.Blocking);
        var barrier = ring.NewBarrier();
        Assert.Equal(-1, barrier.Cursor);

        long sequence = ring.Next();
        Assert.Equal(0, sequence);
        ring[sequence].Fill(sequence);
        Assert.Equal(-1, ring.Cursor); // claimed, not yet published
        ring.Publish(sequence);

        Assert.Equal(0, ring.Cursor);
        Assert.Equal(0, barrier.WaitFor(0));
        Assert.Equal(0, ring[barrier.Cursor].Value);
    }

    [Fact]
    public void A_barrier_on_an_upstream_consumer_reports_the_slowest_of_cursor_and_upstream()
    {
        var ring = NewRing(8, WaitStrategyKind.Blocking);
        var upstreamA = new Sequence();
        var upstreamB = new Sequence();
        var barrier = ring.NewBarrier(upstreamA, upstreamB);
        Publish(ring, 6);
        upstreamA.SetValue(4);
        upstreamB.SetValue(2);

        Assert.Equal(2, barrier.Cursor);
        Assert.Equal(2, barrier.WaitFor(1));
    }
}
