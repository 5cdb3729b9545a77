namespace Eeg.Gateway.ClusterConsole;

/// <summary>How bad a warning is: Loss (red) where data is being lost or a part failed, Attention (yellow) otherwise.</summary>
public enum WarningLevel { Attention, Loss }

public sealed record ClusterWarning(WarningLevel Level, string Text);

/// <summary>
/// What an operator must see first in a snapshot: an unreachable node or one that did not answer,
/// overruns that are rising, drops on a lossless sink, a failed stage, recorder or recording, a
/// lossless remote sink that lost frames. The console and the /cluster page (web/src/cluster.js,
/// same rules) show these in red or yellow.
/// </summary>
public static class ClusterWarnings
{
    public static IReadOnlyList<ClusterWarning> For(ClusterSnapshot snapshot, SnapshotRates rates)
    {
        var list = new List<ClusterWarning>();
        foreach (NodeReport node in snapshot.Nodes)
        {
            string at = node.Address;
            if (!node.Reachable) list.Add(new(WarningLevel.Loss, $"node {at} is unreachable ({node.State})"));
            if (!node.Answered)
            {
                list.Add(new(WarningLevel.Loss, $"node {at} did not answer{(node.Error is { Length: > 0 } e ? ": " + e : "")}"));
                continue;
            }
            if (node.Pipeline is { } p)
            {
                double? overruns = rates.OverrunsPerSecond(at);
                if (overruns > 0) list.Add(new(WarningLevel.Loss, $"overruns rising on {at}: {overruns:0.#}/s ({p.Overruns} in all): samples are lost at the source"));
                else if (p.Overruns > 0) list.Add(new(WarningLevel.Attention, $"{p.Overruns} overruns on {at} since it started"));
                if (rates.CorruptFramesPerSecond(at) > 0) list.Add(new(WarningLevel.Attention, $"corrupt frames rising on {at} ({p.CorruptFrames} in all)"));
            }
            foreach (SinkReport sink in node.Sinks)
            {
                // "stage alpha", but "recorder" rather than "recorder recorder".
                string what = (sink.Kind == sink.Name ? sink.Name : $"{sink.Kind} {sink.Name}") + $" on {at}";
                if (sink.Failed) list.Add(new(WarningLevel.Loss, $"{what} FAILED{(sink.FailureReason is { Length: > 0 } r ? ": " + r : "")}"));
                else if (!sink.Running) list.Add(new(WarningLevel.Attention, $"{what} is stopped"));
                if (sink.Lossless && sink.Dropped > 0) list.Add(new(WarningLevel.Loss, $"lossless {what} dropped {sink.Dropped} frames"));
                else if (!sink.Lossless && rates.DropsPerSecond(at, sink.Name) > 0)
                {
                    list.Add(new(WarningLevel.Attention, $"{what} drops {rates.DropsPerSecond(at, sink.Name):0.#} frames/s ({sink.Policy})"));
                }
            }
            foreach (RemoteSinkReport remote in node.RemoteSinks)
            {
                if (remote.Lossless && (remote.DroppedFrames > 0 || remote.LostSamples > 0))
                {
                    list.Add(new(WarningLevel.Loss, $"lossless remote sink {remote.Name} on {at} dropped {remote.DroppedFrames} frames ({remote.LostSamples} samples)"));
                }
                else if (remote.Lossless && remote.SpooledFrames > 0)
                {
                    list.Add(new(WarningLevel.Attention, $"remote sink {remote.Name} on {at} spools {remote.SpooledFrames} frames (its consumer is behind or away)"));
                }
            }
            foreach (RecordingReport rec in node.Recordings)
            {
                if (rec.State.Equals("failed", StringComparison.OrdinalIgnoreCase))
                {
                    list.Add(new(WarningLevel.Loss, $"recording {rec.Name} on {at} FAILED{(rec.FailureReason is { Length: > 0 } r ? ": " + r : "")}"));
                }
                else if (rec.GapSamples > 0 && rec.State.Equals("recording", StringComparison.OrdinalIgnoreCase))
                {
                    list.Add(new(WarningLevel.Attention, $"recording {rec.Name} on {at} has {rec.GapSamples} samples lost upstream (annotated)"));
                }
            }
        }
        return list;
    }
}
