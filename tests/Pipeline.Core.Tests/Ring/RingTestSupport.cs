using Eeg.Pipeline.Configuration;
using Eeg.Pipeline.Ring;

namespace Eeg.Tests.Pipeline.Core.Ring;

/// <summary>A slot of the test rings: the producer writes the sequence and its complement.</summary>
internal sealed class TestEvent
{
    public long Value = -1;
    public long Check = -1;
    public long SeenByUpstream = -1;

    public void Fill(long sequence)
    {
        Value = sequence;
        Check = ~sequence;
    }
}

/// <summary>
/// Checks that it sees every sequence once, in order, with the slot's contents written for that
/// sequence; optionally that an upstream consumer handled the slot first, or marks it for a downstream one.
/// Allocates nothing unless it finds a violation.
/// </summary>
internal sealed class CheckingHandler : IEventHandler<TestEvent>
{
    private readonly long _last;
    private readonly bool _requireUpstream;
    private readonly bool _markForDownstream;
    private long _expected;
    private string? _firstViolation;

    public CheckingHandler(long events, bool requireUpstream = false, bool markForDownstream = false)
    {
        _last = events - 1;
        _requireUpstream = requireUpstream;
        _markForDownstream = markForDownstream;
    }

    public ManualResetEventSlim Done { get; } = new(false);

    public long Seen;
    public long Violations;
    public long Batches;

    public string? FirstViolation => _firstViolation;

    public void OnBatchStart(long batchSize) => Batches++;

    public void OnEvent(TestEvent data, long sequence, bool endOfBatch)
    {
        if (sequence != _expected) Violation($"sequence {sequence} where {_expected} was expected");
        _expected = sequence + 1;
        if (data.Value != sequence || data.Check != ~sequence) Violation($"slot of sequence {sequence} holds {data.Value}");
        if (_requireUpstream && data.SeenByUpstream != sequence) Violation($"sequence {sequence} seen before the upstream consumer handled it");
        if (_markForDownstream) data.SeenByUpstream = sequence;
        Seen++;
        if (sequence == _last) Done.Set();
    }

    private void Violation(string message)
    {
        Violations++;
        _firstViolation ??= message;
    }
}

internal static class RingTestSupport
{
    /// <summary>A guard against a hang, never a timing assertion: generous on a shared 2-core machine.</summary>
    public static readonly TimeSpan Hang = TimeSpan.FromSeconds(60);

    public static RingBuffer<TestEvent> NewRing(int size, WaitStrategyKind kind) =>
        RingBuffer<TestEvent>.CreateSingleProducer(() => new TestEvent(), size, WaitStrategies.Create(kind));

    /// <summary>A ring whose blocking strategy parks at once (no spin phase): its park/wake path is what is measured.</summary>
    public static RingBuffer<TestEvent> NewParkingRing(int size) =>
        RingBuffer<TestEvent>.CreateSingleProducer(() => new TestEvent(), size, new BlockingWaitStrategy(TimeSpan.Zero));

    /// <summary>Publishes <paramref name="count"/> events starting at the ring's next sequence, waiting while full.</summary>
    public static void Publish(RingBuffer<TestEvent> ring, long count)
    {
        for (long i = 0; i < count; i++)
        {
            long sequence = ring.Next();
            ring[sequence].Fill(sequence);
            ring.Publish(sequence);
        }
    }

    public static void Stop(BatchEventProcessor<TestEvent> processor, Thread thread)
    {
        processor.Halt();
        Assert.True(thread.Join(Hang), $"consumer thread {thread.Name} did not stop after Halt");
    }
}
