using System.Diagnostics;
using Eeg.Acquisition.Dsp;
using Eeg.Acquisition.FanOut;
using Eeg.Acquisition.Reading;
using Eeg.Acquisition.Sources;
using Eeg.Pipeline.Configuration;
using Eeg.Pipeline.Ring;
using Eeg.Pipeline.Slabs;
using Eeg.Shared.Frames;

namespace Eeg.Acquisition.Pipeline;

/// <summary>
/// The hot path of one acquisition node, as in ARCHITECTURE.md:
/// <code>
/// DRDY ─► reader thread ─► slab from pool ─► ring.TryNext/Publish
///                                               │ (pre-allocated ring of slab handles)
///             DSP thread (BatchEventProcessor): counts → uV, filters in place ─► fan-out ─► sinks
/// </code>
/// Two threads, one hand-over between them (the ring), no allocation and no copy after start.
/// The acquisition actor owns it: start, stop, settings, status.
/// </summary>
public sealed class AcquisitionPipeline : IDisposable
{
    private readonly ISampleSource _source;
    private readonly PipelineSettings _settings;
    private readonly BatchEventProcessor<RingSlot> _processor;
    private readonly SampleReader _reader;
    private readonly long _baseTicks;
    private readonly long _baseUnixNs;
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Thread? _readerThread;
    private Thread? _dspThread;
    private long _startTicks;

    public AcquisitionPipeline(PipelineSettings settings, ISampleSource source, FrameFanOut fanOut, DspStage dsp)
    {
        _settings = settings;
        _source = source;
        FanOut = fanOut;
        Dsp = dsp;
        Pool = new SlabPool(settings.SlabCount, settings.Channels, settings.FrameSamples);
        // The DSP thread waits on the ring with the configured strategy; the reader never waits on it.
        Ring = RingBuffer<RingSlot>.CreateSingleProducer(() => new RingSlot(), settings.RingSize, WaitStrategies.Create(settings.WaitStrategy));
        SequenceBarrier barrier = Ring.NewBarrier();
        _processor = new BatchEventProcessor<RingSlot>(Ring, barrier, new DspFanOutHandler(dsp, fanOut, Counters));
        Ring.AddGatingSequences(_processor.Sequence);
        _baseTicks = Stopwatch.GetTimestamp();
        _baseUnixNs = (DateTime.UtcNow - DateTime.UnixEpoch).Ticks * 100;
        _reader = new SampleReader(source, Pool, Ring, Counters, settings.FrameSamples, TicksToUnixNs);
        Description = new StreamDescription(
            settings.ChannelNames, settings.SampleRate, settings.FrameSamples, settings.Gain, settings.ReferenceVolts,
            "uV", dsp.Current.Describe(), _baseUnixNs, source.Name);
    }

    /// <summary>The settings the pipeline runs on (for a replay, adjusted to the file's channels and rate).</summary>
    public PipelineSettings Settings => _settings;

    public AcquisitionCounters Counters { get; } = new();

    /// <summary>
    /// Reader at Highest, DSP at AboveNormal (default), or both Normal: a switch for the latency
    /// harness, which measures the difference (docs/perf.md, "Settings that matter"). On Linux the
    /// runtime maps these to nice values only when the process may raise its priority (root or
    /// CAP_SYS_NICE, as the systemd unit in deploy/ grants); otherwise they are ignored.
    /// </summary>
    internal static bool RaiseHotThreadPriority { get; set; } = true;
    public SlabPool Pool { get; }
    public RingBuffer<RingSlot> Ring { get; }
    public FrameFanOut FanOut { get; }
    public DspStage Dsp { get; }
    public ISampleSource Source => _source;

    /// <summary>The ring's consumer (tests drive it by hand to measure one thread at a time).</summary>
    internal BatchEventProcessor<RingSlot> Processor => _processor;

    /// <summary>What the stream is; sinks receive it before their first frame.</summary>
    public StreamDescription Description { get; private set; }

    /// <summary>Completes when the source has ended (replay of a whole file) or the pipeline stopped.</summary>
    public Task Completion => _completion.Task;

    /// <summary>Seconds since <see cref="Start"/>.</summary>
    public double UptimeSeconds => _startTicks == 0 ? 0 : (Stopwatch.GetTimestamp() - _startTicks) / (double)Stopwatch.Frequency;

    public void Start()
    {
        _source.Start();
        FanOut.Describe(Description);
        _startTicks = Stopwatch.GetTimestamp();
        // Above-normal priority for both hot threads: on a Pi that also serves the web UI, the
        // reader must win the core when DRDY fires. On the 2-core dev VM it changed nothing measurable
        // (docs/perf.md run 4: p99 70 vs 66 us, p99.9 within the spread), and SCHED_FIFO for these two
        // threads did not either; on Linux .NET applies it only with CAP_SYS_NICE (the systemd unit).
        _dspThread = _processor.StartOnNewThread("eeg-dsp", RaiseHotThreadPriority ? ThreadPriority.AboveNormal : ThreadPriority.Normal);
        _processor.WaitUntilStarted(TimeSpan.FromSeconds(5));
        _readerThread = new Thread(RunReader) { Name = "eeg-reader", IsBackground = true, Priority = RaiseHotThreadPriority ? ThreadPriority.Highest : ThreadPriority.Normal };
        _readerThread.Start();
    }

    /// <summary>Filters change at run time without a gap: the DSP thread takes the new chain at its next frame.</summary>
    public void UpdateFilters(DspSettings settings)
    {
        DspChain next = Dsp.RequestUpdate(settings); // throws ConfigException for a bad setting; the running chain stays
        Description = Description with { Filters = next.Describe() };
        FanOut.Describe(Description);
    }

    /// <summary>Stops the source, lets the DSP stage drain what was published, then stops it.</summary>
    public void Stop(TimeSpan drainTimeout)
    {
        _reader.RequestStop();
        _source.Stop();
        _readerThread?.Join(drainTimeout);
        long deadline = Stopwatch.GetTimestamp() + (long)(drainTimeout.TotalSeconds * Stopwatch.Frequency);
        var spin = new SpinWait();
        while (_processor.Sequence.Value < Ring.Cursor && Stopwatch.GetTimestamp() < deadline)
        {
            spin.SpinOnce(sleep1Threshold: -1);
        }
        _processor.Halt();
        _dspThread?.Join(drainTimeout);
        _completion.TrySetResult();
    }

    /// <summary>Waits until the DSP stage has fanned out every frame published so far (tests, replay).</summary>
    public bool WaitUntilDrained(TimeSpan timeout)
    {
        long deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        var spin = new SpinWait();
        while (_processor.Sequence.Value < Ring.Cursor)
        {
            if (Stopwatch.GetTimestamp() > deadline) return false;
            spin.SpinOnce(sleep1Threshold: -1);
        }
        return true;
    }

    public void Dispose() => Stop(TimeSpan.FromSeconds(5));

    private void RunReader()
    {
        try
        {
            _reader.Run();
        }
        catch (Exception ex)
        {
            _completion.TrySetException(ex);
            return;
        }
        WaitUntilDrained(TimeSpan.FromSeconds(30));
        _completion.TrySetResult();
    }

    private long TicksToUnixNs(long ticks) =>
        _baseUnixNs + (long)((ticks - _baseTicks) * (1e9 / Stopwatch.Frequency));
}
