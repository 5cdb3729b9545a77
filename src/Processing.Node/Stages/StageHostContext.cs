using System.Diagnostics;
using Akka.Event;
using Eeg.Shared.Frames;
using Eeg.Shared.Stages;

namespace Eeg.Processing.Stages;

/// <summary>
/// The host's <see cref="IStageContext"/>: copies published values into per-output buffers and
/// forwards them, throttled, as <see cref="StageOutputUpdate"/> on the actor system's event stream.
/// </summary>
/// <remarks>
/// Why buffers and a throttle: a stage may publish on every frame (4000/s); forwarding each would be
/// a message and an array per call. Publish copies into a buffer allocated the first time the output
/// name is seen (zero allocation afterwards: the dictionary lookup hashes the string in place), and
/// <see cref="Flush"/>, called by the host after each frame, forwards an output at most once per
/// publish interval (100 ms by default). Forwarding allocates the message and a copy of the values,
/// at most ~10 times per second per output, never per frame; receivers may keep that array.
/// A value replaced before it was forwarded is counted (StageStats.Coalesced). Proved by
/// StageHostTests.The_host_allocates_nothing_per_frame_between_output_forwards.
/// </remarks>
internal sealed class StageHostContext : IStageContext
{
    private const int MaxEventsPerSecond = 100;

    private readonly EventStream _eventStream;
    private readonly ILoggingAdapter _log;
    private readonly StageStats _stats;
    private readonly long _intervalTicks;
    private readonly Dictionary<string, Output> _outputs = new(StringComparer.Ordinal);
    private readonly List<Output> _outputList = [];
    private long _currentSampleIndex = -1;
    private long _eventWindowStart;
    private int _eventsInWindow;
    private bool _eventLimitLogged;

    public StageHostContext(string stageName, StreamDescription stream, EventStream eventStream, ILoggingAdapter log, StageStats stats, TimeSpan publishInterval)
    {
        StageName = stageName;
        Stream = stream;
        _eventStream = eventStream;
        _log = log;
        _stats = stats;
        _intervalTicks = (long)(publishInterval.TotalSeconds * Stopwatch.Frequency);
    }

    public string StageName { get; }

    public StreamDescription Stream { get; set; }

    /// <summary>The last sample index of the frame being processed: the stamp of plain Publish calls.</summary>
    public void BeginFrame(long lastSampleIndex) => _currentSampleIndex = lastSampleIndex;

    public void Publish(string output, ReadOnlySpan<float> values) => Publish(output, values, _currentSampleIndex);

    public void Publish(string output, ReadOnlySpan<float> values, long sampleIndex)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (!_outputs.TryGetValue(output, out Output? slot))
        {
            slot = new Output(output, values.Length);
            _outputs.Add(output, slot);
            _outputList.Add(slot);
        }
        if (slot.Buffer.Length < values.Length) slot.Buffer = new float[values.Length]; // only when an output grows
        if (slot.Dirty) _stats.CountCoalesced();
        values.CopyTo(slot.Buffer);
        slot.Length = values.Length;
        slot.SampleIndex = sampleIndex;
        slot.Dirty = true;
        _stats.CountPublished();
    }

    public void Emit(string eventName, long sampleIndex, string? detail = null)
    {
        ArgumentNullException.ThrowIfNull(eventName);
        long now = Stopwatch.GetTimestamp();
        if (now - _eventWindowStart >= Stopwatch.Frequency)
        {
            _eventWindowStart = now;
            _eventsInWindow = 0;
            _eventLimitLogged = false;
        }
        if (++_eventsInWindow > MaxEventsPerSecond)
        {
            // A stage emitting per frame would flood every subscriber; events are for rare things.
            _stats.CountEventDropped();
            if (!_eventLimitLogged)
            {
                _log.Warning("stage '{0}' emits more than {1} events per second; the rest of this second's are dropped and counted", StageName, MaxEventsPerSecond);
                _eventLimitLogged = true;
            }
            return;
        }
        _stats.CountEvent();
        _eventStream.Publish(new StageEvent(StageName, eventName, sampleIndex, detail));
    }

    public void Log(string message) => _log.Info("stage '{0}': {1}", StageName, message);

    /// <summary>Forwards the outputs whose interval has passed (all dirty ones when <paramref name="force"/>).</summary>
    public void Flush(bool force = false)
    {
        if (_outputList.Count == 0) return;
        long now = Stopwatch.GetTimestamp();
        for (int i = 0; i < _outputList.Count; i++)
        {
            Output slot = _outputList[i];
            if (!slot.Dirty) continue;
            if (!force && now - slot.LastForwardTicks < _intervalTicks) continue;
            float[] values = slot.Buffer.AsSpan(0, slot.Length).ToArray();
            IReadOnlyList<string>? labels = slot.Length == Stream.ChannelCount ? Stream.ChannelNames : null;
            _eventStream.Publish(new StageOutputUpdate(StageName, slot.Name, slot.SampleIndex, values, labels));
            slot.Dirty = false;
            slot.LastForwardTicks = now;
            _stats.CountForwarded();
        }
    }

    private sealed class Output(string name, int length)
    {
        public string Name { get; } = name;
        public float[] Buffer = new float[Math.Max(length, 1)];
        public int Length;
        public long SampleIndex;
        public bool Dirty;
        public long LastForwardTicks = long.MinValue / 2;
    }
}
