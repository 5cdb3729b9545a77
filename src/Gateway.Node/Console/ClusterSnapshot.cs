namespace Eeg.Gateway.ClusterConsole;

// The JSON of GET /api/cluster and GET /api/nodes (docs/api.md), as the console reads it. Kept
// together: they are one document, and every field is optional on the reading side so that a node
// that did not answer (only address/roles/state/reachable/error) or a newer gateway still reads.
// The namespace is ClusterConsole, not Console: Eeg.Gateway.Console would hide System.Console in
// every Eeg.Gateway file.

/// <summary>One snapshot of the whole lab: GET /api/cluster.</summary>
public sealed record ClusterSnapshot
{
    public DateTimeOffset Time { get; init; }
    public IReadOnlyList<NodeReport> Nodes { get; init; } = [];
}

/// <summary>GET /api/nodes: the node part of every node.</summary>
public sealed record NodeList
{
    public IReadOnlyList<NodeReport> Nodes { get; init; } = [];
}

/// <summary>One cluster member and, when it answered, what runs on it.</summary>
public sealed record NodeReport
{
    public string Address { get; init; } = "";
    public IReadOnlyList<string> Roles { get; init; } = [];
    public string State { get; init; } = "";
    public bool Reachable { get; init; }
    public bool Answered { get; init; }
    public string? Error { get; init; }
    public double UptimeSeconds { get; init; }
    public double? ClockOffsetMicros { get; init; }
    public double? ClockRoundTripMicros { get; init; }
    public long MemoryBytes { get; init; }
    public long GcHeapBytes { get; init; }
    public GcCounts? Gc { get; init; }
    public PipelineReport? Pipeline { get; init; }
    public IReadOnlyList<SinkReport> Sinks { get; init; } = [];
    public IReadOnlyList<RemoteSinkReport> RemoteSinks { get; init; } = [];
    public IReadOnlyList<RecordingReport> Recordings { get; init; } = [];
}

public sealed record GcCounts(int Gen0, int Gen1, int Gen2);

/// <summary>The acquisition pipeline of a node with the acquisition role.</summary>
public sealed record PipelineReport
{
    public string Source { get; init; } = "";
    public int Channels { get; init; }
    public double SampleRate { get; init; }
    public long Samples { get; init; }
    public long Frames { get; init; }
    public long Overruns { get; init; }
    public long CorruptFrames { get; init; }
    public LatencyReport? LatencyMicros { get; init; }
    public bool ImpedanceCheck { get; init; }
    public FilterReport? Filters { get; init; }
}

public sealed record LatencyReport(double P50, double P99, double P999, double Max, long Count);

/// <summary>The DSP settings in effect; 0 or null is off.</summary>
public sealed record FilterReport(double? HighpassHz, double? LowpassHz, double? NotchHz);

/// <summary>A local sink or stage (kind recorder, scope, stage, remote-consumer or sink).</summary>
public sealed record SinkReport
{
    public string Name { get; init; } = "";
    public string Kind { get; init; } = "sink";
    public string Policy { get; init; } = "";
    public int Capacity { get; init; }
    public long Depth { get; init; }
    public long Enqueued { get; init; }
    public long Delivered { get; init; }
    public long Dropped { get; init; }
    public double BlockedSeconds { get; init; }
    public int Restarts { get; init; }
    public bool Failed { get; init; }
    public string? FailureReason { get; init; }
    public bool Running { get; init; } = true;
    public LatencyReport? LatencyMicros { get; init; }

    public bool Lossless => Policy.Equals("lossless", StringComparison.OrdinalIgnoreCase);
}

/// <summary>The sending side of a remote sink, on the acquisition node.</summary>
public sealed record RemoteSinkReport
{
    public string Name { get; init; } = "";
    public bool Lossless { get; init; }
    public string? Consumer { get; init; }
    public long Credit { get; init; }
    public long InFlight { get; init; }
    public long InMemory { get; init; }
    public long SpooledBatches { get; init; }
    public long SpooledFrames { get; init; }
    public long SpoolBytes { get; init; }
    public long FramesSent { get; init; }
    public long DroppedFrames { get; init; }
    public long LostSamples { get; init; }
}

/// <summary>A recording as the recorder reports it (RecordingInfo; state recording, stopped or failed).</summary>
public sealed record RecordingReport
{
    public string Name { get; init; } = "";
    public IReadOnlyList<string> Files { get; init; } = [];
    public IReadOnlyList<string> Formats { get; init; } = [];
    public DateTime? StartUtc { get; init; }
    public double DurationSeconds { get; init; }
    public long SizeBytes { get; init; }
    public string State { get; init; } = "";
    public string? FailureReason { get; init; }
    public long Samples { get; init; }
    public long GapSamples { get; init; }
}
