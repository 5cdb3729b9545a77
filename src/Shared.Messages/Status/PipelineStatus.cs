namespace Eeg.Shared.Status;

/// <summary>Asks an acquisition node for a <see cref="PipelineStatus"/> snapshot.</summary>
public sealed record GetStatus
{
    public static GetStatus Instance { get; } = new();
    private GetStatus() { }
}

/// <summary>Latency percentiles in microseconds, from the DRDY timestamp to a sink's receipt.</summary>
public sealed record LatencySnapshot(double P50, double P99, double P999, double Max, long Count);

/// <summary>One sink's or stage's counters.</summary>
public sealed record SinkStatus(
    string Name,
    string Policy,
    int Capacity,
    int Depth,
    long Enqueued,
    long Delivered,
    long Dropped,
    double BlockedSeconds,
    long Restarts,
    bool Failed,
    string? FailureReason,
    LatencySnapshot Latency);

/// <summary>A snapshot of the whole pipeline's counters (served as JSON on /status).</summary>
public sealed record PipelineStatus(
    string Source,
    int Channels,
    int SampleRate,
    long Samples,
    long Frames,
    long Overruns,
    long CorruptFrames,
    double UptimeSeconds,
    LatencySnapshot Latency,
    IReadOnlyDictionary<string, SinkStatus> Sinks)
{
    /// <summary>
    /// Electrode impedance in kOhm per channel while the amplifier's impedance check runs (ADS1299 AC
    /// lead-off excitation); null when the source has no such check, it is off, or not measured yet.
    /// </summary>
    public IReadOnlyList<double>? ImpedanceKOhm { get; init; }

    /// <summary>Members of the lab's cluster (empty when the node runs every role in one process).</summary>
    public IReadOnlyList<ClusterMemberStatus> ClusterMembers { get; init; } = [];

    /// <summary>The acquisition node's remote sinks: credit, in flight, spooled, dropped.</summary>
    public IReadOnlyList<RemoteSinkStatus> RemoteSinks { get; init; } = [];
}

/// <summary>One member of the lab's cluster as this node sees it.</summary>
public sealed record ClusterMemberStatus
{
    /// <summary>Akka address, e.g. akka.tcp://eeg@127.0.0.1:4053.</summary>
    public required string Address { get; init; }
    /// <summary>acquisition, processing, gateway (and Akka's own dc-default).</summary>
    public required IReadOnlyList<string> Roles { get; init; }
    /// <summary>Joining, Up, Leaving, Exiting, Down, Removed ...</summary>
    public required string State { get; init; }
    /// <summary>False while the failure detector has lost it.</summary>
    public bool Reachable { get; init; }
    /// <summary>True for the node that answered.</summary>
    public bool Self { get; init; }
    /// <summary>The member's clock minus the acquisition node's, as the member last measured it (0 for the acquisition node; null until known).</summary>
    public double? ClockOffsetMicros { get; init; }
}

/// <summary>The sending side of one remote sink on the acquisition node.</summary>
public sealed record RemoteSinkStatus
{
    public required string Name { get; init; }
    public bool Lossless { get; init; }
    /// <summary>The subscribed consumer's path, or null while none is.</summary>
    public string? Consumer { get; init; }
    /// <summary>Batches the consumer lets the sink send now.</summary>
    public long Credit { get; init; }
    /// <summary>Batches sent and not yet acknowledged.</summary>
    public long InFlight { get; init; }
    /// <summary>Batches waiting in memory (lossless: unacknowledged).</summary>
    public long InMemory { get; init; }
    public long SpooledBatches { get; init; }
    public long SpooledFrames { get; init; }
    public long SpoolBytes { get; init; }
    public long FramesSent { get; init; }
    /// <summary>Frames dropped on the sending side (counted, and a gap at the consumer).</summary>
    public long DroppedFrames { get; init; }
    public long LostSamples { get; init; }
}
