using System.Globalization;
using System.Text;
using Eeg.Gateway.Streaming;
using Eeg.Shared.Status;

namespace Eeg.Gateway.Status;

/// <summary>
/// /metrics in the Prometheus text exposition format 0.0.4, written from the status snapshot:
/// counters end in <c>_total</c>, times are in seconds, latency is a summary with quantile labels
/// (no <c>_sum</c>: the recorders keep percentiles, not a running sum, and a made-up sum would lie).
/// <c>promtool check metrics</c> passes on it (PrometheusTextTests).
/// </summary>
public static class PrometheusText
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static string Write(PipelineStatus s, GatewayStatus g)
    {
        var b = new StringBuilder(8192);

        Family(b, "eeg_samples_total", "counter", "Samples acquired per channel since start.");
        Sample(b, "eeg_samples_total", null, s.Samples);
        Family(b, "eeg_frames_total", "counter", "Frames acquired since start.");
        Sample(b, "eeg_frames_total", null, s.Frames);
        Family(b, "eeg_overruns_total", "counter", "Frames lost because the ring or the slab pool was full (the reader never waits).");
        Sample(b, "eeg_overruns_total", null, s.Overruns);
        Family(b, "eeg_corrupt_frames_total", "counter", "Frames with at least one corrupt amplifier status word.");
        Sample(b, "eeg_corrupt_frames_total", null, s.CorruptFrames);
        Family(b, "eeg_uptime_seconds", "gauge", "Seconds since the stream started.");
        Sample(b, "eeg_uptime_seconds", null, s.UptimeSeconds);
        Family(b, "eeg_channels", "gauge", "Channels of the stream.");
        Sample(b, "eeg_channels", null, s.Channels);
        Family(b, "eeg_sample_rate_hertz", "gauge", "Samples per second per channel.");
        Sample(b, "eeg_sample_rate_hertz", null, s.SampleRate);

        Family(b, "eeg_latency_seconds", "summary", "Latency from a frame's last DRDY to the fan-out handing it to the sinks.");
        Summary(b, "eeg_latency_seconds", null, s.Latency);
        Family(b, "eeg_latency_max_seconds", "gauge", "Largest latency from a frame's last DRDY to the fan-out seen since start.");
        Sample(b, "eeg_latency_max_seconds", null, s.Latency.Max / 1e6);

        var sinks = s.Sinks.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToArray();
        SinkFamily(b, sinks, "eeg_sink_enqueued_total", "counter", "Frames the fan-out queued for a sink.", x => x.Enqueued);
        SinkFamily(b, sinks, "eeg_sink_delivered_total", "counter", "Frames a sink received.", x => x.Delivered);
        SinkFamily(b, sinks, "eeg_sink_dropped_total", "counter", "Frames a sink's loss policy dropped.", x => x.Dropped);
        SinkFamily(b, sinks, "eeg_sink_blocked_seconds_total", "counter", "Seconds the fan-out waited on a lossless sink.", x => x.BlockedSeconds);
        SinkFamily(b, sinks, "eeg_sink_restarts_total", "counter", "Times a sink's actor was restarted after a failure.", x => x.Restarts);
        SinkFamily(b, sinks, "eeg_sink_failed", "gauge", "1 when a sink is marked failed.", x => x.Failed ? 1 : 0);
        SinkFamily(b, sinks, "eeg_sink_queue_depth", "gauge", "Frames waiting in a sink's queue.", x => x.Depth);
        SinkFamily(b, sinks, "eeg_sink_queue_capacity", "gauge", "Queue depth of a sink, in frames.", x => x.Capacity);
        Family(b, "eeg_sink_latency_seconds", "summary", "Latency from a frame's last DRDY to a sink's receipt of it.");
        foreach ((string name, SinkStatus sink) in sinks) Summary(b, "eeg_sink_latency_seconds", ("sink", name), sink.Latency);

        Family(b, "eeg_gateway_clients", "gauge", "WebSocket clients connected.");
        Sample(b, "eeg_gateway_clients", null, g.ClientsConnected);
        Family(b, "eeg_gateway_clients_accepted_total", "counter", "WebSocket clients accepted.");
        Sample(b, "eeg_gateway_clients_accepted_total", null, g.ClientsAccepted);
        Family(b, "eeg_gateway_clients_refused_total", "counter", "WebSocket clients refused because max-clients were connected.");
        Sample(b, "eeg_gateway_clients_refused_total", null, g.ClientsRefused);
        Family(b, "eeg_gateway_clients_too_slow_total", "counter", "WebSocket clients closed for staying behind longer than too-slow-after.");
        Sample(b, "eeg_gateway_clients_too_slow_total", null, g.ClientsTooSlow);
        Family(b, "eeg_gateway_frames_encoded_total", "counter", "Frames the scope sink received and encoded (once for all clients).");
        Sample(b, "eeg_gateway_frames_encoded_total", null, g.FramesEncoded);
        Family(b, "eeg_gateway_frames_sent_total", "counter", "Frames sent to WebSocket clients, summed over clients.");
        Sample(b, "eeg_gateway_frames_sent_total", null, g.FramesSent);
        Family(b, "eeg_gateway_frames_dropped_total", "counter", "Frames dropped by per-client queues (drop-oldest), summed over clients.");
        Sample(b, "eeg_gateway_frames_dropped_total", null, g.FramesDropped);
        Family(b, "eeg_gateway_messages_sent_total", "counter", "Binary WebSocket messages sent (each carries one or more frames).");
        Sample(b, "eeg_gateway_messages_sent_total", null, g.MessagesSent);
        Family(b, "eeg_gateway_sent_bytes_total", "counter", "Bytes of binary messages sent to WebSocket clients.");
        Sample(b, "eeg_gateway_sent_bytes_total", null, g.BytesSent);
        Family(b, "eeg_gateway_encoded_frames_created_total", "counter", "Encoded frame buffers allocated (flat once the pool has warmed up).");
        Sample(b, "eeg_gateway_encoded_frames_created_total", null, g.EncodedFramesCreated);

        Family(b, "eeg_gateway_client_frames_dropped_total", "counter", "Frames dropped for one connected client.");
        foreach (ClientStatus c in g.Clients) Sample(b, "eeg_gateway_client_frames_dropped_total", ("client", c.Id.ToString(CultureInfo.InvariantCulture)), c.FramesDropped);
        Family(b, "eeg_gateway_client_frames_sent_total", "counter", "Frames sent to one connected client.");
        foreach (ClientStatus c in g.Clients) Sample(b, "eeg_gateway_client_frames_sent_total", ("client", c.Id.ToString(CultureInfo.InvariantCulture)), c.FramesSent);
        Family(b, "eeg_gateway_client_queued_messages", "gauge", "Messages waiting in one connected client's queue.");
        foreach (ClientStatus c in g.Clients) Sample(b, "eeg_gateway_client_queued_messages", ("client", c.Id.ToString(CultureInfo.InvariantCulture)), c.QueuedMessages);

        return b.ToString();
    }

    private static void SinkFamily(StringBuilder b, KeyValuePair<string, SinkStatus>[] sinks, string name, string type, string help, Func<SinkStatus, double> value)
    {
        Family(b, name, type, help);
        foreach ((string sinkName, SinkStatus sink) in sinks) Sample(b, name, ("sink", sinkName), value(sink));
    }

    private static void Summary(StringBuilder b, string name, (string Key, string Value)? label, LatencySnapshot l)
    {
        Quantile(b, name, label, "0.5", l.P50);
        Quantile(b, name, label, "0.99", l.P99);
        Quantile(b, name, label, "0.999", l.P999);
        Sample(b, name + "_count", label, l.Count);
    }

    private static void Quantile(StringBuilder b, string name, (string Key, string Value)? label, string quantile, double micros)
    {
        b.Append(name).Append('{');
        if (label is { } l) b.Append(l.Key).Append("=\"").Append(Escape(l.Value)).Append("\",");
        b.Append("quantile=\"").Append(quantile).Append("\"} ").Append(Format(micros / 1e6)).Append('\n');
    }

    private static void Family(StringBuilder b, string name, string type, string help)
    {
        b.Append("# HELP ").Append(name).Append(' ').Append(help.Replace("\\", "\\\\").Replace("\n", "\\n")).Append('\n');
        b.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
    }

    private static void Sample(StringBuilder b, string name, (string Key, string Value)? label, double value)
    {
        b.Append(name);
        if (label is { } l) b.Append('{').Append(l.Key).Append("=\"").Append(Escape(l.Value)).Append("\"}");
        b.Append(' ').Append(Format(value)).Append('\n');
    }

    private static string Escape(string value) => value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");

    private static string Format(double value) =>
        double.IsNaN(value) ? "NaN" :
        double.IsPositiveInfinity(value) ? "+Inf" :
        double.IsNegativeInfinity(value) ? "-Inf" :
        value.ToString("R", CultureInfo.InvariantCulture);
}
