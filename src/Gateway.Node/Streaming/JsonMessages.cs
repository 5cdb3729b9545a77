using System.Buffers;
using System.Text;
using System.Text.Json;
using Eeg.Shared.Frames;
using Eeg.Shared.Stages;

namespace Eeg.Gateway.Streaming;

/// <summary>
/// The JSON text messages of the stream (docs/protocol.md). They are built at most a few times a
/// second (stream changes, status, stage outputs, triggers), never per frame.
/// </summary>
public static class JsonMessages
{
    public static string Stream(StreamDescription d) => Write(w =>
    {
        w.WriteString("type", "stream");
        w.WriteStartArray("channelNames");
        foreach (string name in d.ChannelNames) w.WriteStringValue(name);
        w.WriteEndArray();
        w.WriteNumber("channels", d.ChannelCount);
        w.WriteNumber("sampleRate", d.SampleRate);
        w.WriteNumber("frameSamples", d.FrameSamples);
        w.WriteNumber("gain", d.Gain);
        w.WriteNumber("referenceVolts", d.ReferenceVolts);
        w.WriteString("units", d.Units);
        w.WriteString("filters", d.Filters);
        w.WriteNumber("startUnixNs", d.StartUnixNs);
        w.WriteString("source", d.Source);
    });

    public static string TooSlow(long droppedFrames, double afterSeconds) => Write(w =>
    {
        w.WriteString("type", "too-slow");
        w.WriteString("message", $"this client stayed behind the stream for more than {afterSeconds:0.###} s and is closed; reconnect, subscribe to fewer channels or ask for decimation");
        w.WriteNumber("droppedFrames", droppedFrames);
    });

    public static string Error(string message) => Write(w =>
    {
        w.WriteString("type", "error");
        w.WriteString("message", message);
    });

    public static string Subscribed(Subscription s, int clientId) => Write(w =>
    {
        w.WriteString("type", "subscribed");
        w.WriteNumber("clientId", clientId);
        if (s.Channels is null)
        {
            w.WriteNull("channels");
        }
        else
        {
            w.WriteStartArray("channels");
            foreach (int c in s.Channels) w.WriteNumberValue(c);
            w.WriteEndArray();
        }
        w.WriteNumber("decimation", s.Decimation);
        w.WriteBoolean("paused", s.Paused);
    });

    public static string Triggers(ReadOnlySpan<TriggerEvent> triggers)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("type", "triggers");
            w.WriteStartArray("events");
            foreach (TriggerEvent t in triggers)
            {
                w.WriteStartObject();
                w.WriteNumber("sampleIndex", t.SampleIndex);
                w.WriteNumber("code", t.Code);
                w.WriteString("source", t.Source switch
                {
                    TriggerSource.HostPin => "host-pin",
                    TriggerSource.AmplifierGpio => "amplifier-gpio",
                    TriggerSource.Marker => "marker",
                    _ => t.Source.ToString(),
                });
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static string StageOutput(StageOutputUpdate u) => Write(w =>
    {
        w.WriteString("type", "stage-output");
        w.WriteString("stage", u.Stage);
        w.WriteString("output", u.Output);
        w.WriteNumber("sampleIndex", u.SampleIndex);
        w.WriteStartArray("values");
        foreach (float v in u.Values)
        {
            if (float.IsFinite(v)) w.WriteNumberValue(v); else w.WriteNullValue();
        }
        w.WriteEndArray();
        if (u.Labels is null)
        {
            w.WriteNull("labels");
        }
        else
        {
            w.WriteStartArray("labels");
            foreach (string l in u.Labels) w.WriteStringValue(l);
            w.WriteEndArray();
        }
    });

    public static string StageEvent(StageEvent e) => Write(w =>
    {
        w.WriteString("type", "stage-event");
        w.WriteString("stage", e.Stage);
        w.WriteString("name", e.Name);
        w.WriteNumber("sampleIndex", e.SampleIndex);
        if (e.Detail is null) w.WriteNull("detail"); else w.WriteString("detail", e.Detail);
    });

    internal static string Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
