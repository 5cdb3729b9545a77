using System.Diagnostics;

namespace Eeg.Pipeline.Ring;

/// <summary>
/// Runs one <see cref="IEventHandler{T}"/> as a ring consumer: waits on its barrier, hands every slot
/// that is available to the handler as one batch (<c>endOfBatch</c> on the last), then advances its
/// <see cref="Sequence"/> once per batch. Add <see cref="Sequence"/> to the ring's gating sequences (or
/// to a downstream consumer's barrier) so the producer stays behind it.
/// </summary>
/// <remarks>
/// Batching: a consumer that fell behind catches up with one barrier wait and one sequence store for
/// the whole batch instead of one per event, which is what lets it drain a backlog faster than events
/// arrive. The sequence store is per batch, so the producer sees the slots free a batch at a time;
/// batches are bounded by the ring size.
///
/// A handler exception does not stop the ring: it is reported to <see cref="ExceptionHandler"/> (by
/// default to <see cref="Trace"/>), the failing slot counts as handled and the processor goes on with
/// the next one. A consumer that died instead would stop the producer for good (its gating sequence
/// would never move again) and acquisition would turn into overruns. Supervision and restart belong to
/// the actor that owns the stage.
/// </remarks>
public sealed class BatchEventProcessor<T> where T : class
{
    private const int Idle = 0;
    private const int Halted = 1;
    private const int Running = 2;

    private readonly RingBuffer<T> _ring;
    private readonly SequenceBarrier _barrier;
    private readonly IEventHandler<T> _handler;
    private readonly IWaitStrategy _waitStrategy;
    private readonly Sequence _sequence = new();
    private readonly ManualResetEventSlim _started = new(false);
    // Idle / Halted / Running. Changed with Interlocked (Run's start, Halt) and read with acquire loads:
    // Halt stores Halted before it raises the barrier's alert (a volatile store after a full fence),
    // so the consumer that catches the AlertException reads Halted, never a stale Running, and leaves.
    private int _state = Idle;

    public BatchEventProcessor(RingBuffer<T> ring, SequenceBarrier barrier, IEventHandler<T> handler)
    {
        _ring = ring ?? throw new ArgumentNullException(nameof(ring));
        _barrier = barrier ?? throw new ArgumentNullException(nameof(barrier));
        _handler = handler ?? throw new ArgumentNullException(nameof(handler));
        _waitStrategy = barrier.WaitStrategy;
    }

    /// <summary>The last sequence this consumer finished (gate the producer or a downstream consumer on it).</summary>
    public Sequence Sequence => _sequence;

    /// <summary>
    /// Receives a handler exception and the sequence of the slot it was thrown for; the processor then
    /// continues with the next slot. Null (the default) reports to <see cref="Trace"/> and continues.
    /// Called on the consumer thread; if it throws, that is traced too and the processor still goes on.
    /// </summary>
    public Action<Exception, long>? ExceptionHandler { get; set; }

    /// <summary>True between the start of <see cref="Run"/> and its end.</summary>
    public bool IsRunning => Volatile.Read(ref _state) == Running;

    /// <summary>
    /// The consumer loop; returns after <see cref="Halt"/>. Runs on the calling thread (see
    /// <see cref="StartOnNewThread"/>). If <see cref="Halt"/> was called before, returns at once.
    /// </summary>
    public void Run()
    {
        int previous = Interlocked.CompareExchange(ref _state, Running, Idle);
        if (previous == Running)
        {
            throw new InvalidOperationException("this event processor is already running");
        }
        if (previous == Halted)
        {
            // Halted before it started: leave at once, but let anyone waiting for the start go on.
            Volatile.Write(ref _state, Idle);
            _started.Set();
            return;
        }

        _barrier.ClearAlert();
        // Full fence (StoreLoad) between the clear above and the state read below. Halt stores the state
        // and then raises the alert; Run clears the alert and then reads the state: a Dekker pair. A
        // volatile store followed by a volatile load is no barrier between them, on x86 (store buffer)
        // as on arm64: the load could be satisfied before the clear is visible, Run would read Running,
        // Halt's alert would land before the late clear and be wiped out, and the consumer would wait
        // forever on a ring nobody publishes to. BatchEventProcessorStressTests showed that hang on x86
        // (round 4419 of 60,000 halts racing a start, before this fence). Cost: one fence per Run call.
        Interlocked.MemoryBarrier();
        // Halt() may have run between the CAS and ClearAlert and its alert just got cleared: restore it.
        if (Volatile.Read(ref _state) != Running)
        {
            _barrier.Alert();
        }
        try
        {
            _handler.OnStart();
            _started.Set();
            ProcessEvents();
            _handler.OnShutdown();
        }
        finally
        {
            _started.Reset();
            Volatile.Write(ref _state, Idle);
        }
    }

    private void ProcessEvents()
    {
        long next = _sequence.Value + 1;
        while (true)
        {
            try
            {
                long available = _barrier.WaitFor(next);
                if (available >= next)
                {
                    _handler.OnBatchStart(available - next + 1);
                    while (next <= available)
                    {
                        _handler.OnEvent(_ring[next], next, next == available);
                        next++;
                    }
                    // Release store: the handler's reads and writes of these slots happen before the
                    // producer (or a downstream consumer) can see them as finished.
                    _sequence.SetValue(available);
                    _waitStrategy.SignalConsumerProgress();
                }
            }
            catch (AlertException)
            {
                if (Volatile.Read(ref _state) != Running)
                {
                    break;
                }
            }
            catch (Exception exception)
            {
                Report(exception, next);
                // The failing slot counts as handled; the slots before it in the batch were.
                _sequence.SetValue(next);
                _waitStrategy.SignalConsumerProgress();
                next++;
            }
        }
    }

    private void Report(Exception exception, long sequence)
    {
        Action<Exception, long>? handler = ExceptionHandler;
        if (handler is not null)
        {
            try
            {
                handler(exception, sequence);
                return;
            }
            catch (Exception reportFailure)
            {
                // A throwing reporter must not kill the consumer either (the ring would stall).
                Trace.TraceError($"ring consumer {_handler.GetType().Name}: the exception handler threw: {reportFailure}");
            }
        }
        Trace.TraceError($"ring consumer {_handler.GetType().Name}: exception at sequence {sequence}, slot skipped: {exception}");
    }

    /// <summary>Asks the loop to stop: wakes the consumer wherever it waits. Returns at once.</summary>
    public void Halt()
    {
        Interlocked.Exchange(ref _state, Halted);
        _barrier.Alert();
    }

    /// <summary>
    /// Runs the loop on a dedicated background thread (not the thread pool: a consumer occupies its
    /// thread for the life of the pipeline and must not steal a pool thread from Akka).
    /// </summary>
    public Thread StartOnNewThread(string name, ThreadPriority priority = ThreadPriority.Normal)
    {
        var thread = new Thread(Run)
        {
            IsBackground = true,
            Name = name,
            Priority = priority,
        };
        thread.Start();
        return thread;
    }

    /// <summary>Waits until <see cref="IEventHandler{T}.OnStart"/> returned and the loop is about to wait for events.</summary>
    public bool WaitUntilStarted(TimeSpan timeout) => _started.Wait(timeout);
}
