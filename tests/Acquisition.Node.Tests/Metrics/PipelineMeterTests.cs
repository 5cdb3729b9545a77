using System.Diagnostics.Metrics;
using Eeg.Acquisition.Metrics;
using Eeg.Acquisition.Pipeline;
using Eeg.Pipeline.Configuration;
using Eeg.Pipeline.Sinks;

namespace Eeg.Tests.Acquisition.Node.Metrics;

public sealed class PipelineMeterTests
{
    [Fact]
    public void Every_counter_is_published_as_an_instrument_with_its_current_value()
    {
        var counters = new AcquisitionCounters();
        for (int i = 0; i < 7; i++) counters.CountSample();
        counters.CountOverruns(3);
        var sinks = new SinkRegistry();
        SinkCounters scope = sinks.Register(new SinkSettings("scope", SinkPolicy.DropOldest, 4, TimeSpan.FromSeconds(1), 4));
        scope.CountDropped();
        scope.CountDropped();

        using var meter = new PipelineMeter(counters, sinks);
        var seen = new Dictionary<string, double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == PipelineMeter.MeterName) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            string sink = "";
            foreach (var tag in tags) if (tag.Key == "sink") sink = "/" + tag.Value;
            seen[instrument.Name + sink] = value;
        });
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => seen[instrument.Name] = value);
        listener.Start();
        listener.RecordObservableInstruments();

        Assert.Equal(7, seen["eeg.samples"]);
        Assert.Equal(3, seen["eeg.overruns"]);
        Assert.Equal(2, seen["eeg.sink.dropped/scope"]);
        Assert.Equal(0, seen["eeg.sink.failed/scope"]);
        Assert.Contains("eeg.fanout.latency", seen.Keys);
    }
}
