using System.Text.Json.Serialization;
using Eeg.Shared.Control;
using Eeg.Shared.Recording;
using Eeg.Shared.Status;

namespace Eeg.Gateway.Control;

/// <summary>One node of GET /api/cluster (docs/api.md): the cluster's view of the member and its agent's report.</summary>
public sealed record ClusterNode(
    string Address,
    IReadOnlyList<string> Roles,
    string State,
    bool Reachable,
    bool Answered,
    string? Error,
    double UptimeSeconds,
    double? ClockOffsetMicros,
    double? ClockRoundTripMicros,
    long MemoryBytes,
    long GcHeapBytes,
    GcCounts Gc,
    PipelineReport? Pipeline,
    IReadOnlyList<SinkReport> Sinks,
    IReadOnlyList<RemoteSinkStatus> RemoteSinks,
    IReadOnlyList<RecordingInfo> Recordings)
{
    /// <summary>The agent's report (null when it did not answer); not serialized.</summary>
    [JsonIgnore]
    public NodeReport? Report { get; init; }

    public static ClusterNode From(string address, IReadOnlyList<string> roles, string state, bool reachable, NodeReport report) =>
        new(address, roles, state, reachable, true, null, report.UptimeSeconds, report.ClockOffsetMicros, report.ClockRoundTripMicros,
            report.MemoryBytes, report.GcHeapBytes, report.Gc, report.Pipeline, report.Sinks, report.RemoteSinks, report.Recordings)
        {
            Report = report,
        };

    public static ClusterNode NotAnswered(string address, IReadOnlyList<string> roles, string state, bool reachable, string error) =>
        new(address, roles, state, reachable, false, error, 0, null, null, 0, 0, new GcCounts(0, 0, 0), null, [], [], []);

    /// <summary>The node without its pipeline, sinks and recordings (GET /api/nodes).</summary>
    public NodeSummary Summary() =>
        new(Address, Roles, State, Reachable, Answered, Error, UptimeSeconds, ClockOffsetMicros, ClockRoundTripMicros, MemoryBytes, GcHeapBytes, Gc);
}

/// <summary>One node of GET /api/nodes.</summary>
public sealed record NodeSummary(
    string Address,
    IReadOnlyList<string> Roles,
    string State,
    bool Reachable,
    bool Answered,
    string? Error,
    double UptimeSeconds,
    double? ClockOffsetMicros,
    double? ClockRoundTripMicros,
    long MemoryBytes,
    long GcHeapBytes,
    GcCounts Gc);
