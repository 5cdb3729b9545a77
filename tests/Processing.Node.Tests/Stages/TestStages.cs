using System.Collections.Concurrent;
using System.Diagnostics;
using Eeg.Shared.Frames;
using Eeg.Shared.Stages;

namespace Eeg.Tests.Processing.Node.Stages;

/// <summary>What a <see cref="ProbeStage"/> saw, shared by all its incarnations (the host recreates the stage after a failure).</summary>
public sealed class Probe
{
    private static readonly ConcurrentDictionary<string, Probe> All = new();
    private readonly List<long> _processed = [];
    private int _starts;
    private int _stops;
    private int _failures;

    public static Probe Named(string name) => All.GetOrAdd(name, _ => new Probe());

    public static string NewName() => "probe-" + Guid.NewGuid().ToString("N");

    public int Starts => Volatile.Read(ref _starts);
    public int Stops => Volatile.Read(ref _stops);
    public int Failures => Volatile.Read(ref _failures);
    public long AllocatedBytes;
    public int AllocationIntervals;

    public long[] Processed
    {
        get { lock (_processed) return _processed.ToArray(); }
    }

    internal void Started() => Interlocked.Increment(ref _starts);
    internal void Stopped() => Interlocked.Increment(ref _stops);
    internal void Failed() => Interlocked.Increment(ref _failures);
    internal void Saw(long index)
    {
        lock (_processed) _processed.Add(index);
    }
}

public sealed class ProbeSettings
{
    public string Probe { get; set; } = "";
    /// <summary>Throw on frames whose index + 1 is a multiple of this (0: never).</summary>
    public int ThrowEvery { get; set; }
    public bool ThrowAlways { get; set; }
    /// <summary>Throw on frames with a lower index than this.</summary>
    public long ThrowBelow { get; set; }
    /// <summary>Work this long on every frame (a slow stage).</summary>
    public int BusyMilliseconds { get; set; }
    /// <summary>Record the bytes the host allocates between two calls, after this many frames (0: off).</summary>
    public int MeasureAllocationsAfter { get; set; }
}

/// <summary>A stage for host tests: records what it processed, throws or dawdles on demand.</summary>
public sealed class ProbeStage(ProbeSettings settings) : IStage
{
    private readonly Probe _probe = Probe.Named(settings.Probe);
    private readonly float[] _firstValues = new float[4];
    private long _lastBytes;
    private int _lastThread = -1;
    private long _lastIndex = -10;

    public void OnStart(StreamDescription stream, IStageContext context) => _probe.Started();

    public void OnStop() => _probe.Stopped();

    public void Process(in FrameView frame, IStageContext context)
    {
        long index = frame.FirstSampleIndex;
        if (settings.ThrowAlways || index < settings.ThrowBelow || (settings.ThrowEvery > 0 && (index + 1) % settings.ThrowEvery == 0))
        {
            _probe.Failed();
            throw new InvalidOperationException($"probe fails on frame {index}");
        }
        if (settings.BusyMilliseconds > 0)
        {
            // Simulates a long computation (not a wait: a stage that computes for 50 ms holds its thread).
            long until = Stopwatch.GetTimestamp() + settings.BusyMilliseconds * Stopwatch.Frequency / 1000;
            while (Stopwatch.GetTimestamp() < until) Thread.SpinWait(100);
        }
        if (settings.MeasureAllocationsAfter > 0)
        {
            MeasureHost(index, context, frame);
            return;
        }
        _probe.Saw(index);
    }

    /// <summary>
    /// Bytes the current thread allocated between the end of the previous call and this one: the host's
    /// own per-frame work (mailbox, base class, view, counters, output copy and flush check), measured
    /// on consecutive frames that ran on the same thread.
    /// </summary>
    private void MeasureHost(long index, IStageContext context, in FrameView frame)
    {
        long now = GC.GetAllocatedBytesForCurrentThread();
        int thread = Environment.CurrentManagedThreadId;
        if (index >= settings.MeasureAllocationsAfter && thread == _lastThread && index == _lastIndex + 1)
        {
            _probe.AllocatedBytes += now - _lastBytes;
            _probe.AllocationIntervals++;
        }
        _lastThread = thread;
        _lastIndex = index;
        _lastBytes = GC.GetAllocatedBytesForCurrentThread();
        // Published after the measurement point, so the copy into the host's buffer is counted next time.
        frame.Microvolts[..Math.Min(4, frame.Microvolts.Length)].CopyTo(_firstValues);
        context.Publish("first", _firstValues);
    }
}

/// <summary>A stage with a settings type of every kind the binder supports.</summary>
public sealed class KitchenSinkStage(KitchenSinkSettings settings) : IStage
{
    public KitchenSinkSettings Settings { get; } = settings;
    public void Process(in FrameView frame, IStageContext context) { }
}

public enum Montage { Bipolar, CommonAverage, LinkedMastoids }

public sealed record KitchenSinkSettings
{
    public double WindowSeconds { get; set; } = 1;
    public float Gain { get; set; } = 2;
    public int Order { get; set; } = 4;
    public long MaxSamples { get; set; } = 10;
    public bool Enabled { get; set; } = true;
    public string Label { get; set; } = "default";
    public Montage Montage { get; set; } = Montage.Bipolar;
    public string[] Channels { get; set; } = ["Fp1"];
    public double[] AlphaHz { get; set; } = [8, 13];
}

/// <summary>A stage without settings.</summary>
public sealed class PlainStage : IStage
{
    public void Process(in FrameView frame, IStageContext context) { }
}

/// <summary>A stage whose constructor rejects its settings.</summary>
public sealed class PickyStage : IStage
{
    public PickyStage(KitchenSinkSettings settings)
    {
        if (settings.WindowSeconds <= 0) throw new ArgumentException($"window-seconds must be positive (is {settings.WindowSeconds})");
    }

    public void Process(in FrameView frame, IStageContext context) { }
}

/// <summary>Not a stage.</summary>
public sealed class NotAStage
{
    public void Process() { }
}

/// <summary>Emits "tick" on every tenth frame and publishes how many frames it has seen.</summary>
public sealed class TickerStage : IStage
{
    private readonly float[] _count = new float[1];

    public void Process(in FrameView frame, IStageContext context)
    {
        if (frame.FirstSampleIndex % 10 == 0) context.Emit("tick", frame.FirstSampleIndex);
        _count[0]++;
        context.Publish("count", _count);
    }
}
