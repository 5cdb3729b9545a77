using System.Globalization;
using Eeg.Shared.Status;

namespace Eeg.Acquisition.Actors;

/// <summary>
/// The one-line status a running node prints every few seconds: sample rate over the last interval,
/// overruns, drops per sink, p99 latency to the fan-out. Rates, not only totals, so a stall shows.
/// </summary>
public sealed class StatusLine(int nominalRate)
{
    private long _lastSamples;
    private double _lastUptime;

    public string Next(PipelineStatus s)
    {
        double seconds = Math.Max(1e-9, s.UptimeSeconds - _lastUptime);
        double rate = (s.Samples - _lastSamples) / seconds;
        _lastSamples = s.Samples;
        _lastUptime = s.UptimeSeconds;
        string drops = string.Join(" ", s.Sinks.Values.OrderBy(k => k.Name, StringComparer.Ordinal)
            .Select(k => $"{k.Name}:{k.Dropped}{(k.Failed ? "(FAILED)" : "")}"));
        return string.Create(CultureInfo.InvariantCulture,
            $"[{DateTime.Now:HH:mm:ss}] {s.Source} {s.Channels}ch {rate:0}/{nominalRate} SPS  samples {s.Samples}  overruns {s.Overruns}  drops {(drops.Length == 0 ? "-" : drops)}  p99 {s.Latency.P99:0.0} us");
    }
}
