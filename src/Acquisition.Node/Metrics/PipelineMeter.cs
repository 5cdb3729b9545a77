using System.Diagnostics.Metrics;
using Eeg.Acquisition.Pipeline;
using Eeg.Pipeline.Sinks;
using Eeg.Shared.Status;

namespace Eeg.Acquisition.Metrics;

/// <summary>
/// The pipeline's counters as System.Diagnostics.Metrics instruments (meter "Eeg.Pipeline"), for
/// any listener: OpenTelemetry, dotnet-counters, the gateway's /metrics.
/// </summary>
/// <remarks>
/// Every instrument is an observable one that reads the counters when a listener collects: the hot
/// path keeps its plain interlocked increments and never calls into a listener, allocates a tag
/// array or takes a lock per frame. Latency comes from the HdrHistogram recorders as percentile
/// gauges (a push histogram would need a Record call per frame on the sink's thread).
/// Names follow OpenTelemetry's conventions; Prometheus exporters add the _total suffix.
/// </remarks>
public sealed class PipelineMeter : IDisposable
{
    public const string MeterName = "Eeg.Pipeline";

    private readonly Meter _meter = new(MeterName, "1.0");

    public PipelineMeter(AcquisitionCounters counters, SinkRegistry sinks)
    {
        _meter.CreateObservableCounter("eeg.samples", () => counters.Samples, "{sample}", "Samples read from the source");
        _meter.CreateObservableCounter("eeg.frames", () => counters.Frames, "{frame}", "Frames published into the ring");
        _meter.CreateObservableCounter("eeg.overruns", () => counters.Overruns, "{sample}", "Samples dropped by the reader (no free slab or ring slot)");
        _meter.CreateObservableCounter("eeg.corrupt_samples", () => counters.CorruptSamples, "{sample}", "Samples with a corrupt status word");
        _meter.CreateObservableGauge("eeg.fanout.latency", () => Quantiles(counters.FanOutLatency.Snapshot()), "us", "DRDY to fan-out latency percentiles");

        _meter.CreateObservableCounter("eeg.sink.enqueued", () => PerSink(sinks, s => s.Enqueued), "{frame}", "Frames accepted by each sink's queue");
        _meter.CreateObservableCounter("eeg.sink.delivered", () => PerSink(sinks, s => s.Delivered), "{frame}", "Frames each sink has taken");
        _meter.CreateObservableCounter("eeg.sink.dropped", () => PerSink(sinks, s => s.Dropped), "{frame}", "Frames each sink's policy dropped");
        _meter.CreateObservableCounter("eeg.sink.blocked", () => PerSinkDouble(sinks, s => s.Blocked.TotalSeconds), "s", "Time the fan-out waited on each lossless sink");
        _meter.CreateObservableCounter("eeg.sink.restarts", () => PerSink(sinks, s => s.Restarts), "{restart}", "Restarts of each sink or stage");
        _meter.CreateObservableGauge("eeg.sink.failed", () => PerSink(sinks, s => s.Failed ? 1 : 0), "{sink}", "1 while a sink is marked failed");
        _meter.CreateObservableGauge("eeg.sink.latency", () => sinks.All.SelectMany(s =>
            Quantiles(s.Latency.Snapshot(), new KeyValuePair<string, object?>("sink", s.Name))), "us", "DRDY to sink receipt latency percentiles");
    }

    public void Dispose() => _meter.Dispose();

    private static IEnumerable<Measurement<long>> PerSink(SinkRegistry sinks, Func<SinkCounters, long> read) =>
        sinks.All.Select(s => new Measurement<long>(read(s), new KeyValuePair<string, object?>("sink", s.Name), new KeyValuePair<string, object?>("policy", SinkCounters.PolicyName(s.Policy))));

    private static IEnumerable<Measurement<double>> PerSinkDouble(SinkRegistry sinks, Func<SinkCounters, double> read) =>
        sinks.All.Select(s => new Measurement<double>(read(s), new KeyValuePair<string, object?>("sink", s.Name)));

    private static IEnumerable<Measurement<double>> Quantiles(LatencySnapshot l, params KeyValuePair<string, object?>[] tags)
    {
        foreach ((string q, double v) in new[] { ("0.5", l.P50), ("0.99", l.P99), ("0.999", l.P999), ("1", l.Max) })
        {
            yield return new Measurement<double>(v, [.. tags, new KeyValuePair<string, object?>("quantile", q)]);
        }
    }
}
