using System.Diagnostics;
using System.Globalization;
using Eeg.Pipeline.Configuration;
using Eeg.Pipeline.Slabs;

namespace Eeg.Pipeline.Ring;

/// <summary>
/// A stress check of the ring and the slab reference counts under the real threads of the machine it
/// runs on, for the node's <c>selftest</c> command (issue 10: run natively and under arm64 emulation,
/// where a missing barrier shows as lost, repeated or stale events).
/// </summary>
/// <remarks>
/// One producer claims each slot, rents a slab, stamps slot and slab with the sequence and publishes.
/// The independent consumers check that they see every sequence exactly once and in order,
/// that the slot's fields are the ones written for that sequence (a stale slot means a publish became
/// visible before the data: the arm64 reordering), and that the slab still carries its stamp before they
/// release it (a slab returned to the pool while a consumer still held it would be re-rented and
/// re-stamped by the producer). With two or more consumers the last one depends on the first one and
/// checks that the first one handled each slot before it. Busy-spin needs a core per thread
/// (consumers + 1): with more threads than free cores it still passes, but at a crawl (measured on the
/// loaded 2-core build machine: ~40,000 events/s with 3 spinning threads, against 1.5-6 million events/s
/// for blocking and yielding).
/// </remarks>
public static class RingSelfTest
{
    private const int RingSize = 1024;

    // Gives up after this long without any progress, instead of hanging a CI job on a lost wake-up.
    private static readonly TimeSpan StallLimit = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Runs the check with <paramref name="consumers"/> consumer threads (two or more: the last one
    /// depends on the first); false on any violation, each written to <paramref name="log"/>, followed by
    /// one summary line with the events per second.
    /// </summary>
    public static bool Run(long events, int consumers, WaitStrategyKind kind, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(log);
        if (events < 1) throw new ArgumentOutOfRangeException(nameof(events), events, "events must be at least 1");
        if (consumers < 1) throw new ArgumentOutOfRangeException(nameof(consumers), consumers, "consumers must be at least 1");

        // consumers = consumer threads: with two or more, the last one depends on the first (a chain),
        // the others follow the producer only. Threads = consumers + 1, so that busy-spin can be run
        // with no more spinning threads than cores (consumers = cores - 1).
        int independent = consumers == 1 ? 1 : consumers - 1;
        bool chain = consumers >= 2;

        var ring = RingBuffer<Slot>.CreateSingleProducer(() => new Slot(), RingSize, WaitStrategies.Create(kind));
        // Every slot's slab is released by all independent consumers before the producer can reuse the
        // slot, so RingSize slabs suffice; a few more so that a rent failure can only mean a leak.
        var pool = new SlabPool(RingSize + consumers + 1, channels: 1, samplesPerSlab: 1);
        var violations = new Violations(log);

        var checkers = new Checker[independent];
        var processors = new List<BatchEventProcessor<Slot>>();
        for (int i = 0; i < independent; i++)
        {
            checkers[i] = new Checker(i, violations, markFirst: i == 0);
            processors.Add(new BatchEventProcessor<Slot>(ring, ring.NewBarrier(), checkers[i]));
        }
        // The dependent consumer runs after consumer 0 and checks consumer 0's mark; it does not touch the slab.
        Follower? follower = null;
        if (chain)
        {
            follower = new Follower(violations);
            processors.Add(new BatchEventProcessor<Slot>(ring, ring.NewBarrier(processors[0].Sequence), follower));
        }

        // Gate on the ends of the chains: consumers 1..n-1 and the follower (behind consumer 0 by
        // construction), or consumer 0 itself when there is no follower.
        var gating = new List<Sequence> { processors[^1].Sequence };
        for (int i = 1; i < independent; i++) gating.Add(processors[i].Sequence);
        ring.AddGatingSequences(gating.ToArray());

        var threads = new List<Thread>();
        for (int i = 0; i < processors.Count; i++)
        {
            threads.Add(processors[i].StartOnNewThread($"selftest-consumer-{i}"));
        }
        foreach (BatchEventProcessor<Slot> processor in processors)
        {
            if (!processor.WaitUntilStarted(StallLimit)) violations.Add("a consumer did not start");
        }

        var stopwatch = Stopwatch.StartNew();
        bool stalled = !Produce(ring, pool, events, independent, violations);
        long lastSequence = events - 1;

        // Wait for every consumer to finish: spin, then yield; no fixed sleep, bounded by the stall limit.
        foreach (BatchEventProcessor<Slot> processor in processors)
        {
            if (!stalled && !WaitUntil(() => processor.Sequence.Value >= lastSequence))
            {
                violations.Add($"a consumer stopped at sequence {processor.Sequence.Value} of {lastSequence}");
                stalled = true;
            }
        }
        stopwatch.Stop();

        foreach (BatchEventProcessor<Slot> processor in processors) processor.Halt();
        foreach (Thread thread in threads)
        {
            if (!thread.Join(StallLimit)) violations.Add($"consumer thread {thread.Name} did not stop after Halt");
        }

        if (!stalled)
        {
            foreach (Checker checker in checkers)
            {
                if (checker.Seen != events) violations.Add($"consumer {checker.Index} saw {checker.Seen} events, expected {events}");
            }
            if (follower is not null && follower.Seen != events) violations.Add($"dependent consumer saw {follower.Seen} events, expected {events}");
            if (pool.Available != pool.Capacity) violations.Add($"{pool.Capacity - pool.Available} slabs never came back to the pool");
        }

        double seconds = Math.Max(stopwatch.Elapsed.TotalSeconds, 1e-9);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ring self-test: {events} events, {independent} consumers{(chain ? " + 1 dependent" : "")}, {kind}: {events / seconds:N0} events/s, {violations.Count} violations"));
        return violations.Count == 0;
    }

    private static bool Produce(RingBuffer<Slot> ring, SlabPool pool, long events, int slabHolders, Violations violations)
    {
        for (long i = 0; i < events; i++)
        {
            if (!TryClaim(ring, out long sequence)) { violations.Add($"producer stalled: no free slot for sequence {i}"); return false; }
            if (!pool.TryRent(out Slab slab))
            {
                // Every earlier slot's slab has been released by the time its slot is free again, so the
                // pool can only be dry if a release was lost.
                violations.Add($"slab pool dry at sequence {sequence}: a slab was not released");
                return false;
            }
            if (sequence != i) violations.Add($"producer claimed {sequence}, expected {i}");
            slab.FirstSampleIndex = sequence;
            slab.SetReferences(slabHolders);
            Slot slot = ring[sequence];
            slot.Value = sequence;
            slot.Check = ~sequence;
            slot.Slab = slab;
            ring.Publish(sequence);
        }
        return true;
    }

    // Claims a slot, spinning and then yielding while the ring is full, bounded by the stall limit.
    private static bool TryClaim(RingBuffer<Slot> ring, out long sequence)
    {
        if (ring.TryNext(out sequence)) return true;
        long start = Stopwatch.GetTimestamp();
        SpinWait spin = default;
        while (!ring.TryNext(out sequence))
        {
            spin.SpinOnce(sleep1Threshold: -1);
            if (Stopwatch.GetElapsedTime(start) > StallLimit) return false;
        }
        return true;
    }

    private static bool WaitUntil(Func<bool> condition)
    {
        long start = Stopwatch.GetTimestamp();
        SpinWait spin = default;
        while (!condition())
        {
            spin.SpinOnce(sleep1Threshold: -1);
            if (Stopwatch.GetElapsedTime(start) > StallLimit) return false;
        }
        return true;
    }

    private sealed class Slot
    {
        public long Value = -1;
        public long Check = -1;
        public Slab? Slab;
        public long FirstConsumerMark = -1;
    }

    private sealed class Violations(TextWriter log)
    {
        private const int MaxLogged = 20;
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public void Add(string message)
        {
            int count = Interlocked.Increment(ref _count);
            if (count <= MaxLogged)
            {
                lock (log) log.WriteLine("VIOLATION: " + message);
            }
        }
    }

    private sealed class Checker(int index, Violations violations, bool markFirst) : IEventHandler<Slot>
    {
        private long _expected;

        public int Index => index;

        public long Seen { get; private set; }

        public void OnEvent(Slot data, long sequence, bool endOfBatch)
        {
            if (sequence != _expected) violations.Add($"consumer {index} got sequence {sequence}, expected {_expected}");
            _expected = sequence + 1;
            Seen++;
            if (data.Value != sequence || data.Check != ~sequence)
            {
                violations.Add($"consumer {index} read a stale slot at sequence {sequence}: value {data.Value}");
                return;
            }
            Slab? slab = data.Slab;
            if (slab is null || slab.FirstSampleIndex != sequence)
            {
                violations.Add($"consumer {index}: slab of sequence {sequence} was reused while still referenced (stamp {slab?.FirstSampleIndex})");
                return;
            }
            if (markFirst) data.FirstConsumerMark = sequence;
            slab.Release();
        }
    }

    private sealed class Follower(Violations violations) : IEventHandler<Slot>
    {
        private long _expected;

        public long Seen { get; private set; }

        public void OnEvent(Slot data, long sequence, bool endOfBatch)
        {
            if (sequence != _expected) violations.Add($"dependent consumer got sequence {sequence}, expected {_expected}");
            _expected = sequence + 1;
            Seen++;
            if (data.FirstConsumerMark != sequence) violations.Add($"dependent consumer saw sequence {sequence} before the consumer it depends on");
        }
    }
}
