using Eeg.Shared.Recording;
using Eeg.Shared.Status;

namespace Eeg.Shared.Control;

/// <summary>
/// One node as its agent sees it: what it runs, how it is doing, its sinks and stages. Crosses nodes
/// with Akka's default serializer (control path only, about once a second per console).
/// </summary>
public sealed record NodeReport
{
    /// <summary>The node's Akka address, or "local" when it runs every role in one process without a cluster.</summary>
    public required string Address { get; init; }
    public required IReadOnlyList<string> Roles { get; init; }
    public double UptimeSeconds { get; init; }
    /// <summary>This node's clock minus the acquisition node's; 0 on the acquisition node; null until measured.</summary>
    public double? ClockOffsetMicros { get; init; }
    /// <summary>Round trip of the probe the offset comes from; null until measured.</summary>
    public double? ClockRoundTripMicros { get; init; }
    /// <summary>The process's working set.</summary>
    public long MemoryBytes { get; init; }
    /// <summary>GC.GetTotalMemory(false).</summary>
    public long GcHeapBytes { get; init; }
    public GcCounts Gc { get; init; } = new(0, 0, 0);
    /// <summary>The acquisition pipeline; null on nodes without the acquisition role.</summary>
    public PipelineReport? Pipeline { get; init; }
    /// <summary>Every local sink and stage, and the receiving side of remote sinks.</summary>
    public IReadOnlyList<SinkReport> Sinks { get; init; } = [];
    /// <summary>The sending side of remote sinks (acquisition node).</summary>
    public IReadOnlyList<RemoteSinkStatus> RemoteSinks { get; init; } = [];
    /// <summary>True when the node runs a recorder.</summary>
    public bool HasRecorder { get; init; }
    /// <summary>This run's recordings (empty without a recorder).</summary>
    public IReadOnlyList<RecordingInfo> Recordings { get; init; } = [];
}

/// <summary>Garbage collections per generation since the process started.</summary>
public sealed record GcCounts(long Gen0, long Gen1, long Gen2);
