using System.Buffers;
using System.Text.Json;
using Eeg.Gateway.Streaming;
using Eeg.Shared.Status;

namespace Eeg.Gateway.Status;

/// <summary>
/// /status as JSON, camelCase, in the shape docs/protocol.md lists: samples, frames, overruns,
/// corruptFrames, sinks{name:{policy, enqueued, dropped, failed, ...}}, latencyMicros{p50, p99,
/// p999, max}, uptimeSeconds, then the gateway's own counters. Written by hand with
/// Utf8JsonWriter so that the names are the documented ones whatever the records are called.
/// </summary>
public static class StatusJson
{
    public static byte[] Serialize(PipelineStatus status, GatewayStatus gateway, bool indented = false)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = indented }))
        {
            Write(w, status, gateway);
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The status message sent to WebSocket clients: <c>{"type":"status","status":{...}}</c>.</summary>
    public static string Message(PipelineStatus status, GatewayStatus gateway) => JsonMessages.Write(w =>
    {
        w.WriteString("type", "status");
        w.WritePropertyName("status");
        Write(w, status, gateway);
    });

    public static void Write(Utf8JsonWriter w, PipelineStatus s, GatewayStatus g)
    {
        w.WriteStartObject();
        w.WriteString("source", s.Source);
        w.WriteNumber("channels", s.Channels);
        w.WriteNumber("sampleRate", s.SampleRate);
        w.WriteNumber("samples", s.Samples);
        w.WriteNumber("frames", s.Frames);
        w.WriteNumber("overruns", s.Overruns);
        w.WriteNumber("corruptFrames", s.CorruptFrames);
        w.WriteNumber("uptimeSeconds", s.UptimeSeconds);
        WriteLatency(w, "latencyMicros", s.Latency);
        if (s.ImpedanceKOhm is { } impedance)
        {
            // Only while the amplifier's impedance check runs (ADS1299), so other sources' JSON is unchanged.
            w.WriteStartArray("impedanceKOhm");
            foreach (double z in impedance) w.WriteNumberValue(Math.Round(z, 2));
            w.WriteEndArray();
        }
        w.WriteStartObject("sinks");
        foreach ((string name, SinkStatus sink) in s.Sinks)
        {
            w.WriteStartObject(name);
            w.WriteString("policy", sink.Policy);
            w.WriteNumber("capacity", sink.Capacity);
            w.WriteNumber("depth", sink.Depth);
            w.WriteNumber("enqueued", sink.Enqueued);
            w.WriteNumber("delivered", sink.Delivered);
            w.WriteNumber("dropped", sink.Dropped);
            w.WriteNumber("blockedSeconds", sink.BlockedSeconds);
            w.WriteNumber("restarts", sink.Restarts);
            w.WriteBoolean("failed", sink.Failed);
            if (sink.FailureReason is null) w.WriteNull("failureReason"); else w.WriteString("failureReason", sink.FailureReason);
            WriteLatency(w, "latencyMicros", sink.Latency);
            w.WriteEndObject();
        }
        w.WriteEndObject();
        WriteCluster(w, s);

        w.WriteStartObject("gateway");
        w.WriteNumber("clientsConnected", g.ClientsConnected);
        w.WriteNumber("clientsAccepted", g.ClientsAccepted);
        w.WriteNumber("clientsRefused", g.ClientsRefused);
        w.WriteNumber("clientsTooSlow", g.ClientsTooSlow);
        w.WriteNumber("framesEncoded", g.FramesEncoded);
        w.WriteNumber("framesSent", g.FramesSent);
        w.WriteNumber("framesDropped", g.FramesDropped);
        w.WriteNumber("messagesSent", g.MessagesSent);
        w.WriteNumber("bytesSent", g.BytesSent);
        w.WriteNumber("encodedFramesCreated", g.EncodedFramesCreated);
        w.WriteStartArray("clients");
        foreach (ClientStatus c in g.Clients)
        {
            w.WriteStartObject();
            w.WriteNumber("id", c.Id);
            w.WriteString("remote", c.Remote);
            w.WriteNumber("connectedSeconds", Math.Round(c.ConnectedSeconds, 3));
            w.WriteNumber("framesOffered", c.FramesOffered);
            w.WriteNumber("framesSent", c.FramesSent);
            w.WriteNumber("framesDropped", c.FramesDropped);
            w.WriteNumber("framesSkippedPaused", c.FramesSkippedPaused);
            w.WriteNumber("messagesSent", c.MessagesSent);
            w.WriteNumber("bytesSent", c.BytesSent);
            w.WriteNumber("textsSent", c.TextsSent);
            w.WriteNumber("textsDropped", c.TextsDropped);
            w.WriteNumber("queuedMessages", c.QueuedMessages);
            w.WriteNumber("queueDepth", c.QueueDepth);
            if (c.Channels is null)
            {
                w.WriteNull("channels");
            }
            else
            {
                w.WriteStartArray("channels");
                foreach (int ch in c.Channels) w.WriteNumberValue(ch);
                w.WriteEndArray();
            }
            w.WriteNumber("decimation", c.Decimation);
            w.WriteBoolean("paused", c.Paused);
            w.WriteBoolean("tooSlow", c.TooSlow);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteLatency(Utf8JsonWriter w, string name, LatencySnapshot l)
    {
        w.WriteStartObject(name);
        w.WriteNumber("p50", l.P50);
        w.WriteNumber("p99", l.P99);
        w.WriteNumber("p999", l.P999);
        w.WriteNumber("max", l.Max);
        w.WriteNumber("count", l.Count);
        w.WriteEndObject();
    }

    // Multi-node: the cluster's members and the acquisition node's remote sinks (empty arrays when
    // the node runs every role in one process).
    private static void WriteCluster(Utf8JsonWriter w, PipelineStatus s)
    {
        w.WriteStartArray("clusterMembers");
        foreach (ClusterMemberStatus m in s.ClusterMembers)
        {
            w.WriteStartObject();
            w.WriteString("address", m.Address);
            w.WriteStartArray("roles");
            foreach (string role in m.Roles) w.WriteStringValue(role);
            w.WriteEndArray();
            w.WriteString("state", m.State);
            w.WriteBoolean("reachable", m.Reachable);
            w.WriteBoolean("self", m.Self);
            if (m.ClockOffsetMicros is { } offset) w.WriteNumber("clockOffsetMicros", offset); else w.WriteNull("clockOffsetMicros");
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("remoteSinks");
        foreach (RemoteSinkStatus r in s.RemoteSinks)
        {
            w.WriteStartObject();
            w.WriteString("name", r.Name);
            w.WriteBoolean("lossless", r.Lossless);
            if (r.Consumer is null) w.WriteNull("consumer"); else w.WriteString("consumer", r.Consumer);
            w.WriteNumber("credit", r.Credit);
            w.WriteNumber("inFlight", r.InFlight);
            w.WriteNumber("inMemory", r.InMemory);
            w.WriteNumber("spooledBatches", r.SpooledBatches);
            w.WriteNumber("spooledFrames", r.SpooledFrames);
            w.WriteNumber("spoolBytes", r.SpoolBytes);
            w.WriteNumber("framesSent", r.FramesSent);
            w.WriteNumber("droppedFrames", r.DroppedFrames);
            w.WriteNumber("lostSamples", r.LostSamples);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }
}
