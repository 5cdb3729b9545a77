namespace Eeg.Gateway.ClusterConsole;

/// <summary>
/// Rates between two successive snapshots of GET /api/cluster: samples/s and overruns/s per node,
/// drops/s per sink. The API gives totals only; rates come from the difference over the
/// snapshots' own <c>time</c> (the gateway's clock), so a console that polls late still divides by
/// the right interval. A counter that went down (the node restarted) has no rate until the next pair.
/// </summary>
public sealed class SnapshotRates
{
    private readonly Dictionary<string, double> _samples = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double> _overruns = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double> _corrupt = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Node, string Sink), double> _drops = new();

    private SnapshotRates(double seconds) => IntervalSeconds = seconds;

    /// <summary>No rates (first snapshot).</summary>
    public static SnapshotRates None { get; } = new(0);

    /// <summary>Seconds between the two snapshots; 0 when there are no rates.</summary>
    public double IntervalSeconds { get; }

    public static SnapshotRates Between(ClusterSnapshot? previous, ClusterSnapshot current)
    {
        if (previous is null) return None;
        double seconds = (current.Time - previous.Time).TotalSeconds;
        if (seconds <= 0) return None;
        var rates = new SnapshotRates(seconds);
        foreach (NodeReport node in current.Nodes)
        {
            NodeReport? before = previous.Nodes.FirstOrDefault(n => n.Address == node.Address);
            if (before is null || !node.Answered || !before.Answered) continue;
            if (node.Pipeline is { } p && before.Pipeline is { } q)
            {
                Put(rates._samples, node.Address, p.Samples - q.Samples, seconds);
                Put(rates._overruns, node.Address, p.Overruns - q.Overruns, seconds);
                Put(rates._corrupt, node.Address, p.CorruptFrames - q.CorruptFrames, seconds);
            }
            foreach (SinkReport sink in node.Sinks)
            {
                SinkReport? old = before.Sinks.FirstOrDefault(s => s.Name == sink.Name);
                if (old is not null) Put(rates._drops, (node.Address, sink.Name), sink.Dropped - old.Dropped, seconds);
            }
        }
        return rates;
    }

    private static void Put<TKey>(Dictionary<TKey, double> into, TKey key, long delta, double seconds) where TKey : notnull
    {
        if (delta >= 0) into[key] = delta / seconds;
    }

    /// <summary>Samples per second (per channel) the node's pipeline acquired, or null.</summary>
    public double? SamplesPerSecond(string node) => _samples.TryGetValue(node, out double r) ? r : null;

    public double? OverrunsPerSecond(string node) => _overruns.TryGetValue(node, out double r) ? r : null;

    public double? CorruptFramesPerSecond(string node) => _corrupt.TryGetValue(node, out double r) ? r : null;

    /// <summary>Frames per second the sink dropped, or null.</summary>
    public double? DropsPerSecond(string node, string sink) => _drops.TryGetValue((node, sink), out double r) ? r : null;
}
