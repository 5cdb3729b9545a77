using Eeg.Pipeline.Queues;

namespace Eeg.Tests.Pipeline.Core.Queues;

public sealed class BoundedMpmcQueueTests
{
    private sealed class Item(int producer, int number)
    {
        public int Producer { get; } = producer;
        public int Number { get; } = number;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(7)]
    public void Queue_holds_exactly_its_capacity_and_refuses_one_more(int capacity)
    {
        var queue = new BoundedMpmcQueue<string>(capacity);
        for (int i = 0; i < capacity; i++)
        {
            Assert.True(queue.TryEnqueue($"item {i}"), $"enqueue {i} of {capacity}");
        }
        Assert.False(queue.TryEnqueue("one too many"));
        Assert.Equal(capacity, queue.Count);
        Assert.Equal(capacity, queue.Capacity);
    }

    [Fact]
    public void Queue_of_capacity_one_keeps_its_item_when_a_second_is_offered_over_many_laps()
    {
        // The recorder's default depth is 1: a full queue must refuse, never overwrite.
        var queue = new BoundedMpmcQueue<string>(1);
        for (int lap = 0; lap < 1000; lap++)
        {
            string first = $"frame {lap}";
            Assert.True(queue.TryEnqueue(first));
            Assert.False(queue.TryEnqueue("intruder"));
            Assert.True(queue.TryDequeue(out string? taken));
            Assert.Same(first, taken);
            Assert.False(queue.TryDequeue(out _));
        }
    }

    [Fact]
    public void Items_come_out_in_the_order_they_went_in_across_many_laps()
    {
        var queue = new BoundedMpmcQueue<string>(3);
        int next = 0;
        int expected = 0;
        var random = new Random(7);
        for (int step = 0; step < 10_000; step++)
        {
            if (random.Next(2) == 0)
            {
                if (queue.TryEnqueue(next.ToString(System.Globalization.CultureInfo.InvariantCulture))) next++;
            }
            else if (queue.TryDequeue(out string? item))
            {
                Assert.Equal(expected++.ToString(System.Globalization.CultureInfo.InvariantCulture), item);
            }
            Assert.Equal(next - expected, queue.Count);
        }
        Assert.True(expected > 1000);
    }

    [Fact]
    public void An_empty_queue_returns_false_and_a_full_one_accepts_again_after_a_dequeue()
    {
        var queue = new BoundedMpmcQueue<string>(2);
        Assert.False(queue.TryDequeue(out string? nothing));
        Assert.Null(nothing);
        Assert.Equal(0, queue.Count);

        Assert.True(queue.TryEnqueue("a"));
        Assert.True(queue.TryEnqueue("b"));
        Assert.False(queue.TryEnqueue("c"));
        Assert.True(queue.TryDequeue(out string? a));
        Assert.Equal("a", a);
        Assert.True(queue.TryEnqueue("c"));
        Assert.True(queue.TryDequeue(out string? b));
        Assert.True(queue.TryDequeue(out string? c));
        Assert.Equal(("b", "c"), (b, c));
        Assert.False(queue.TryDequeue(out _));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void A_capacity_below_one_is_refused(int capacity)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new BoundedMpmcQueue<string>(capacity));
    }

    [Fact]
    public void Enqueue_and_dequeue_allocate_nothing()
    {
        var queue = new BoundedMpmcQueue<string>(4);
        const string item = "slab";
        queue.TryEnqueue(item);
        queue.TryDequeue(out _);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100_000; i++)
        {
            queue.TryEnqueue(item);
            queue.TryEnqueue(item);
            queue.TryDequeue(out _);
            queue.TryDequeue(out _);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Collection(StressCollection.Name)]
    public sealed class Stress
    {
        [Theory]
        [InlineData(1)]
        [InlineData(5)]
        [InlineData(64)]
        public void Four_producers_and_two_consumers_pass_every_item_exactly_once(int capacity)
        {
            const int producers = 4;
            const int consumers = 2;
            // A tiny queue hands over item by item, often through a context switch: fewer items keep
            // the test within seconds on a loaded 2-core machine (at load 48, 200,000 per producer
            // through a depth-1 queue took over two minutes).
            int perProducer = capacity >= 64 ? 200_000 : 40_000;
            var queue = new BoundedMpmcQueue<Item>(capacity);
            var items = new Item[producers][];
            for (int p = 0; p < producers; p++)
            {
                items[p] = new Item[perProducer];
                for (int n = 0; n < perProducer; n++) items[p][n] = new Item(p, n);
            }
            var seen = new int[producers, perProducer];
            var lastFromProducer = new int[consumers, producers];
            long orderViolations = 0;
            long consumed = 0;

            var threads = new List<Thread>();
            for (int p = 0; p < producers; p++)
            {
                int producer = p;
                threads.Add(new Thread(() =>
                {
                    foreach (Item item in items[producer])
                    {
                        while (!queue.TryEnqueue(item)) Thread.Yield();
                    }
                }));
            }
            for (int c = 0; c < consumers; c++)
            {
                int consumer = c;
                for (int p = 0; p < producers; p++) lastFromProducer[consumer, p] = -1;
                threads.Add(new Thread(() =>
                {
                    while (Volatile.Read(ref consumed) < producers * perProducer)
                    {
                        if (!queue.TryDequeue(out Item? item))
                        {
                            Thread.Yield();
                            continue;
                        }
                        Interlocked.Increment(ref seen[item.Producer, item.Number]);
                        // FIFO per producer, as seen by any one consumer.
                        if (item.Number <= lastFromProducer[consumer, item.Producer]) Interlocked.Increment(ref orderViolations);
                        lastFromProducer[consumer, item.Producer] = item.Number;
                        Interlocked.Increment(ref consumed);
                    }
                }));
            }
            threads.ForEach(t => t.Start());
            foreach (Thread thread in threads) Assert.True(thread.Join(TimeSpan.FromSeconds(120)), "a queue thread hung");

            Assert.Equal(producers * perProducer, consumed);
            Assert.Equal(0, orderViolations);
            int missingOrRepeated = 0;
            foreach (int count in seen) if (count != 1) missingOrRepeated++;
            Assert.Equal(0, missingOrRepeated);
            Assert.Equal(0, queue.Count);
        }
    }
}
