using Eeg.Shared.Status;

namespace Eeg.Shared.Control;

/// <summary>What a sink or stage is, for the console.</summary>
public static class SinkKinds
{
    public const string Recorder = "recorder";
    public const string Scope = "scope";
    public const string Stage = "stage";
    /// <summary>The receiving side of a remote sink on a consumer node.</summary>
    public const string RemoteConsumer = "remote-consumer";
    /// <summary>Any other sink (e.g. the acquisition node's local queue in front of a remote sink).</summary>
    public const string Sink = "sink";
}

/// <summary>One local sink's or stage's counters and state, as /api/cluster shows them.</summary>
public sealed record SinkReport
{
    public required string Name { get; init; }
    /// <summary>One of <see cref="SinkKinds"/>.</summary>
    public required string Kind { get; init; }
    public required string Policy { get; init; }
    public int Capacity { get; init; }
    public int Depth { get; init; }
    public long Enqueued { get; init; }
    public long Delivered { get; init; }
    public long Dropped { get; init; }
    public double BlockedSeconds { get; init; }
    public long Restarts { get; init; }
    public bool Failed { get; init; }
    public string? FailureReason { get; init; }
    /// <summary>False for a failed sink and for a stage stopped by the operator.</summary>
    public bool Running { get; init; }
    public LatencySnapshot LatencyMicros { get; init; } = new(0, 0, 0, 0, 0);
}
