using Akka.Dispatch;
using Eeg.Pipeline.Configuration;
using Eeg.Pipeline.Queues;

namespace Eeg.Pipeline.Dispatch;

/// <summary>
/// An Akka executor with one dedicated thread that waits for work with one of the pipeline's wait
/// strategies instead of parking on the thread pool. Actors on a dispatcher that uses it (the
/// latency-critical sinks: the scope) are woken in well under a microsecond when it spins or yields.
/// </summary>
/// <remarks>
/// Why: an actor mailbox hop through Akka's default dispatcher wakes a thread-pool thread, which on
/// these 2-core machines costs ~35-45 us at the median and up to milliseconds at p99
/// (ARCHITECTURE.md); a spinning or yielding consumer costs ~0.3 us median. The actor still owns
/// its state, is supervised and keeps its policy mailbox; only the wake-up is cheaper. The cost is
/// a core kept busy while idle (busy-spin) or mostly busy (yielding); with "blocking" it parks
/// like a pinned dispatcher and costs nothing idle. Numbers: docs/perf.md (Pipeline.Latency, sink
/// dispatcher rows). Work items are mailboxes scheduled for a run; a mailbox is scheduled at most
/// once at a time, so the queue never holds more than one entry per actor on this dispatcher.
/// </remarks>
public sealed class WaitStrategyExecutor : ExecutorService
{
    private const int QueueCapacity = 4096;
    private readonly BoundedMpmcQueue<IRunnable> _work = new(QueueCapacity);
    private readonly WaitStrategyKind _wait;
    private readonly Thread _thread;
    private readonly ManualResetEventSlim _wake = new(false);
    private volatile bool _running = true;
    private int _sleeping;

    public WaitStrategyExecutor(string id, WaitStrategyKind wait) : base(id)
    {
        _wait = wait;
        _thread = new Thread(Loop) { Name = id, IsBackground = true, Priority = ThreadPriority.AboveNormal };
        _thread.Start();
    }

    public override void Execute(IRunnable run)
    {
        var spin = new SpinWait();
        // Bounded: cannot fill in practice (one entry per actor on this dispatcher); if it ever did,
        // the sender spins until the executor catches up rather than grow a queue.
        while (!_work.TryEnqueue(run)) spin.SpinOnce(sleep1Threshold: -1);
        if (_wait == WaitStrategyKind.Blocking)
        {
            // Pairs with the fence in Loop: the work item is visible before we read the flag.
            Interlocked.MemoryBarrier();
            if (Volatile.Read(ref _sleeping) != 0) _wake.Set();
        }
    }

    public override void Shutdown()
    {
        _running = false;
        _wake.Set();
    }

    private void Loop()
    {
        int idle = 0;
        while (_running)
        {
            if (_work.TryDequeue(out IRunnable? run))
            {
                idle = 0;
                run.Run();
                continue;
            }
            switch (_wait)
            {
                case WaitStrategyKind.BusySpin:
                    Thread.SpinWait(1);
                    break;
                case WaitStrategyKind.Yielding:
                    if (++idle < 100) Thread.SpinWait(1);
                    else Thread.Yield();
                    break;
                default:
                    if (++idle < 100)
                    {
                        Thread.SpinWait(1);
                        break;
                    }
                    _wake.Reset();
                    Interlocked.Exchange(ref _sleeping, 1); // full fence: flag visible before the re-check
                    if (_work.Count == 0 && _running) _wake.Wait();
                    Volatile.Write(ref _sleeping, 0);
                    idle = 0;
                    break;
            }
        }
    }
}

/// <summary>
/// HOCON: <c>executor = "Eeg.Pipeline.Dispatch.WaitStrategyExecutorConfigurator, Pipeline.Core"</c>
/// with <c>wait-strategy = busy-spin | yielding | blocking</c> in the dispatcher block.
/// </summary>
public sealed class WaitStrategyExecutorConfigurator : ExecutorServiceConfigurator
{
    private readonly WaitStrategyKind _wait;

    public WaitStrategyExecutorConfigurator(Akka.Configuration.Config config, IDispatcherPrerequisites prerequisites) : base(config, prerequisites)
    {
        string value = config.GetString("wait-strategy", "yielding");
        _wait = value switch
        {
            "busy-spin" => WaitStrategyKind.BusySpin,
            "yielding" => WaitStrategyKind.Yielding,
            "blocking" => WaitStrategyKind.Blocking,
            _ => throw ConfigException.Invalid("wait-strategy (sink dispatcher)", value, "busy-spin, yielding or blocking"),
        };
    }

    public override ExecutorService Produce(string id) => new WaitStrategyExecutor(id, _wait);
}

/// <summary>The dispatcher ids, for <c>Props.WithDispatcher</c>.</summary>
public static class SinkDispatchers
{
    /// <summary>The latency-critical sinks' dispatcher (its wait strategy is pipeline.sink-wait-strategy).</summary>
    public const string LowLatency = "eeg.dispatchers.low-latency";

    /// <summary>HOCON declaring it; the node replaces WAIT with the configured strategy.</summary>
    public static string Hocon(string waitStrategy) => $$"""
        eeg.dispatchers.low-latency {
          type = Dispatcher
          executor = "Eeg.Pipeline.Dispatch.WaitStrategyExecutorConfigurator, Pipeline.Core"
          wait-strategy = {{waitStrategy}}
          throughput = 64
        }
        """;
}
