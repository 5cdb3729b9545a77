using System.Diagnostics;
using Eeg.Pipeline.Configuration;
using Eeg.Pipeline.Metrics;
using Eeg.Shared.Status;

namespace Eeg.Pipeline.Sinks;

/// <summary>
/// Every count one sink has: frames offered and accepted, dropped, time the fan-out spent blocked
/// on it, restarts, failure. Written by the fan-out (DSP thread) and the sink; read by status.
/// </summary>
/// <remarks>
/// Plain fields updated with Interlocked rather than System.Diagnostics.Metrics Counter.Add calls:
/// the metrics instruments are observable ones that read these fields when scraped, so the hot
/// path pays one interlocked add per event and never a tag array or a listener callback.
/// </remarks>
public sealed class SinkCounters
{
    private long _enqueued;
    private long _delivered;
    private long _dropped;
    private long _blockedTicks;
    private long _restarts;
    private volatile string? _failureReason;
    private Func<int>? _depth;
    private long _durableThrough = long.MaxValue;

    public SinkCounters(string name, SinkPolicy policy, int capacity)
    {
        Name = name;
        Policy = policy;
        Capacity = capacity;
    }

    public string Name { get; }
    public SinkPolicy Policy { get; }
    public int Capacity { get; }

    /// <summary>Latency from the DRDY of a frame's last sample to the sink's receipt of it.</summary>
    public LatencyRecorder Latency { get; } = new();

    public long Enqueued => Interlocked.Read(ref _enqueued);
    public long Delivered => Interlocked.Read(ref _delivered);
    public long Dropped => Interlocked.Read(ref _dropped);
    public long Restarts => Interlocked.Read(ref _restarts);
    public TimeSpan Blocked => TimeSpan.FromSeconds(Interlocked.Read(ref _blockedTicks) / (double)Stopwatch.Frequency);
    public bool Failed => _failureReason is not null;
    public string? FailureReason => _failureReason;

    public void CountEnqueued() => Interlocked.Increment(ref _enqueued);
    public void CountDropped() => Interlocked.Increment(ref _dropped);
    public void CountBlocked(long stopwatchTicks) => Interlocked.Add(ref _blockedTicks, stopwatchTicks);
    public void CountRestart() => Interlocked.Increment(ref _restarts);

    /// <summary>Called by the sink when it takes a frame: counts it and records its latency.</summary>
    public void CountDelivered(long lastDrdyTicks)
    {
        Interlocked.Increment(ref _delivered);
        Latency.RecordSince(lastDrdyTicks);
    }

    /// <summary>Marks the sink failed; the first reason given is kept.</summary>
    public void Fail(string reason) => Interlocked.CompareExchange(ref _failureReason, reason, null);

    /// <summary>Clears a failure (a recorder that starts a new recording, a stage restarted by hand).</summary>
    public void ClearFailure() => _failureReason = null;

    /// <summary>
    /// For a sink that writes to disk (the recorder): the last sample index it holds durably;
    /// long.MaxValue when nothing it received is waiting for the disk (not recording), long.MinValue
    /// before its first checkpoint. A remote consumer confirms frames to the acquisition node only up
    /// to here, so the acquisition node keeps what a crash of this node would lose.
    /// </summary>
    public long DurableThrough => Interlocked.Read(ref _durableThrough);

    /// <summary>See <see cref="DurableThrough"/>.</summary>
    public void MarkDurableThrough(long sampleIndex) => Interlocked.Exchange(ref _durableThrough, sampleIndex);

    /// <summary>Lets the queue that feeds this sink report its depth.</summary>
    public void AttachDepth(Func<int> depth) => _depth = depth;

    public SinkStatus Snapshot() => new(
        Name,
        PolicyName(Policy),
        Capacity,
        _depth?.Invoke() ?? 0,
        Enqueued,
        Delivered,
        Dropped,
        Blocked.TotalSeconds,
        Restarts,
        Failed,
        FailureReason,
        Latency.Snapshot());

    /// <summary>The HOCON spelling of a policy.</summary>
    public static string PolicyName(SinkPolicy policy) => PipelineSettings.Word(policy);
}
