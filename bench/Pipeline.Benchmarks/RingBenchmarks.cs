using System.Collections.Concurrent;
using System.Threading.Channels;
using BenchmarkDotNet.Attributes;
using Eeg.Pipeline.Configuration;
using Eeg.Pipeline.Ring;

namespace Eeg.Bench;

/// <summary>
/// One producer handing 100,000 events to one or three consumers through our ring, for each wait
/// strategy. Compare with <see cref="QueueBaselineBenchmarks"/> in the same run
/// (`-filter '*Ring*' '*QueueBaseline*'`). Busy-spin with three consumers is left out: four spinning
/// threads on two cores measure the scheduler, not the ring (docs/perf.md).
/// </summary>
public class RingBenchmarks
{
    private const int Events = 100_000;
    private const int Size = 1024;

    public sealed class LongEvent
    {
        public long Value;
    }

    private sealed class CountingHandler : IEventHandler<LongEvent>
    {
        public long Sum;
        public void OnEvent(LongEvent data, long sequence, bool endOfBatch) => Sum += data.Value;
    }

    /// <summary>BlockingNoSpin: the blocking strategy without its spin phase (parks at once), for the spin's effect.</summary>
    public static IEnumerable<string> Cases => ["BusySpin/1", "Yielding/1", "Blocking/1", "BlockingNoSpin/1", "Yielding/3", "Blocking/3", "BlockingNoSpin/3"];

    /// <summary>Wait strategy and consumer count.</summary>
    [ParamsSource(nameof(Cases))]
    public string Case = "";

    private IWaitStrategy Wait => Case.Split('/')[0] == "BlockingNoSpin"
        ? new BlockingWaitStrategy(TimeSpan.Zero)
        : WaitStrategies.Create(Enum.Parse<WaitStrategyKind>(Case.Split('/')[0]));
    private int Consumers => int.Parse(Case.Split('/')[1]);

    private RingBuffer<LongEvent> _ring = null!;
    private BatchEventProcessor<LongEvent>[] _processors = [];

    [GlobalSetup]
    public void Setup()
    {
        _ring = RingBuffer<LongEvent>.CreateSingleProducer(() => new LongEvent(), Size, Wait);
        _processors = new BatchEventProcessor<LongEvent>[Consumers];
        for (int i = 0; i < Consumers; i++)
        {
            _processors[i] = new BatchEventProcessor<LongEvent>(_ring, _ring.NewBarrier(), new CountingHandler());
            _ring.AddGatingSequences(_processors[i].Sequence);
            _processors[i].StartOnNewThread("bench-consumer-" + i);
            _processors[i].WaitUntilStarted(TimeSpan.FromSeconds(5));
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var p in _processors) p.Halt();
    }

    [Benchmark(OperationsPerInvoke = Events)]
    public void Ring()
    {
        long last = 0;
        for (int i = 0; i < Events; i++)
        {
            long sequence = _ring.Next();
            _ring[sequence].Value = i;
            _ring.Publish(sequence);
            last = sequence;
        }
        foreach (var p in _processors)
        {
            var spin = new SpinWait();
            while (p.Sequence.Value < last) spin.SpinOnce(-1);
        }
    }
}

/// <summary>
/// The same hand-over as <see cref="RingBenchmarks"/> through System.Threading.Channels (bounded
/// 1024, single reader and writer, the consumer awaiting WaitToReadAsync) and through an unbounded
/// ConcurrentQueue polled with SpinWait. A broadcast to three consumers needs three queues here.
/// </summary>
public class QueueBaselineBenchmarks
{
    private const int Events = 100_000;
    private const int Size = 1024;

    [Params(1, 3)]
    public int Consumers;

    private Channel<long>[] _channels = [];
    private ConcurrentQueue<long>[] _queues = [];
    private Thread[] _threads = [];
    private long[] _received = [];
    private volatile bool _stop;

    [GlobalSetup(Target = nameof(Channels))]
    public void SetupChannels()
    {
        _stop = false;
        _channels = new Channel<long>[Consumers];
        _received = new long[Consumers * 16];
        _threads = new Thread[Consumers];
        for (int i = 0; i < Consumers; i++)
        {
            var channel = System.Threading.Channels.Channel.CreateBounded<long>(new BoundedChannelOptions(Size)
            {
                SingleReader = true,
                SingleWriter = true,
                FullMode = BoundedChannelFullMode.Wait,
                AllowSynchronousContinuations = false,
            });
            _channels[i] = channel;
            int slot = i * 16;
            _threads[i] = new Thread(() =>
            {
                ChannelReader<long> reader = channel.Reader;
                while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
                {
                    while (reader.TryRead(out long _)) Interlocked.Increment(ref _received[slot]);
                }
            }) { IsBackground = true };
            _threads[i].Start();
        }
    }

    [GlobalCleanup(Target = nameof(Channels))]
    public void CleanupChannels()
    {
        foreach (var c in _channels) c.Writer.TryComplete();
    }

    [Benchmark(OperationsPerInvoke = Events)]
    public void Channels()
    {
        long[] targets = new long[Consumers];
        for (int c = 0; c < Consumers; c++) targets[c] = Volatile.Read(ref _received[c * 16]) + Events;
        for (int i = 0; i < Events; i++)
        {
            for (int c = 0; c < _channels.Length; c++)
            {
                ChannelWriter<long> writer = _channels[c].Writer;
                while (!writer.TryWrite(i)) writer.WaitToWriteAsync().AsTask().GetAwaiter().GetResult();
            }
        }
        for (int c = 0; c < Consumers; c++)
        {
            var spin = new SpinWait();
            while (Volatile.Read(ref _received[c * 16]) < targets[c]) spin.SpinOnce(-1);
        }
    }

    [GlobalSetup(Target = nameof(ConcurrentQueue))]
    public void SetupConcurrentQueue()
    {
        _stop = false;
        _queues = new ConcurrentQueue<long>[Consumers];
        _received = new long[Consumers * 16];
        _threads = new Thread[Consumers];
        for (int i = 0; i < Consumers; i++)
        {
            var queue = new ConcurrentQueue<long>();
            _queues[i] = queue;
            int slot = i * 16;
            _threads[i] = new Thread(() =>
            {
                var spin = new SpinWait();
                while (!_stop)
                {
                    if (queue.TryDequeue(out long _))
                    {
                        Interlocked.Increment(ref _received[slot]);
                        spin.Reset();
                    }
                    else spin.SpinOnce(-1);
                }
            }) { IsBackground = true };
            _threads[i].Start();
        }
    }

    [GlobalCleanup(Target = nameof(ConcurrentQueue))]
    public void CleanupConcurrentQueue() => _stop = true;

    [Benchmark(OperationsPerInvoke = Events)]
    public void ConcurrentQueue()
    {
        long[] targets = new long[Consumers];
        for (int c = 0; c < Consumers; c++) targets[c] = Volatile.Read(ref _received[c * 16]) + Events;
        for (int i = 0; i < Events; i++)
        {
            for (int c = 0; c < _queues.Length; c++) _queues[c].Enqueue(i);
        }
        for (int c = 0; c < Consumers; c++)
        {
            var spin = new SpinWait();
            while (Volatile.Read(ref _received[c * 16]) < targets[c]) spin.SpinOnce(-1);
        }
    }
}
