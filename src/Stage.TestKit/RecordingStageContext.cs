using Eeg.Shared.Frames;

namespace Eeg.Shared.Stages.TestKit;

/// <summary>One value set a stage published, as recorded by <see cref="RecordingStageContext"/>.</summary>
public sealed record RecordedOutput(string Output, long SampleIndex, float[] Values);

/// <summary>One event a stage emitted.</summary>
public readonly record struct RecordedEvent(string Name, long SampleIndex, string? Detail);

/// <summary>
/// An <see cref="IStageContext"/> for tests: keeps the latest values of every output, every event,
/// and (when <see cref="KeepHistory"/>) every publication. Allocation-free per call after an output's
/// first publication as long as <see cref="KeepHistory"/> is off, so the kit can measure the stage alone.
/// </summary>
public sealed class RecordingStageContext : IStageContext
{
    private const int EventCapacity = 4096;
    private readonly Dictionary<string, float[]> _latest = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _latestIndex = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);
    private readonly List<RecordedEvent> _events = new(EventCapacity);
    private readonly List<RecordedOutput> _history = [];
    private readonly List<string> _log = [];

    public RecordingStageContext(string stageName, StreamDescription stream)
    {
        StageName = stageName;
        Stream = stream;
    }

    public string StageName { get; }

    public StreamDescription Stream { get; set; }

    /// <summary>The sample index plain Publish calls are stamped with (the host uses the frame's last sample).</summary>
    public long CurrentSampleIndex { get; set; } = -1;

    /// <summary>Keep a copy of every publication in <see cref="History"/> (allocates; off for allocation tests).</summary>
    public bool KeepHistory { get; set; }

    /// <summary>True once any published value was NaN or infinite (since the last <see cref="Clear"/>).</summary>
    public bool PublishedNonFinite { get; private set; }

    /// <summary>Publications with a sample index beyond the frame being processed (since the last <see cref="Clear"/>).</summary>
    public int PublishedIntoTheFuture { get; private set; }

    /// <summary>Events beyond <see cref="EventCapacity"/>, not kept.</summary>
    public int EventsNotKept { get; private set; }

    public IReadOnlyList<RecordedEvent> Events => _events;

    public IReadOnlyList<RecordedOutput> History => _history;

    public IReadOnlyList<string> LogLines => _log;

    /// <summary>Names of the outputs published so far.</summary>
    public IEnumerable<string> Outputs => _latest.Keys;

    /// <summary>Latest values of <paramref name="output"/>; throws when it was never published.</summary>
    public float[] Latest(string output) =>
        _latest.TryGetValue(output, out float[]? v) ? v : throw new KeyNotFoundException($"output '{output}' was never published (published: {string.Join(", ", _latest.Keys)})");

    /// <summary>Sample index of the latest values of <paramref name="output"/>.</summary>
    public long LatestSampleIndex(string output) => _latestIndex[output];

    /// <summary>Publications of <paramref name="output"/> so far.</summary>
    public int PublishCount(string output) => _counts.TryGetValue(output, out int n) ? n : 0;

    public void Publish(string output, ReadOnlySpan<float> values) => Publish(output, values, CurrentSampleIndex);

    public void Publish(string output, ReadOnlySpan<float> values, long sampleIndex)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (!_latest.TryGetValue(output, out float[]? buffer) || buffer.Length != values.Length)
        {
            buffer = new float[values.Length];
            _latest[output] = buffer;
        }
        values.CopyTo(buffer);
        _latestIndex[output] = sampleIndex;
        _counts[output] = PublishCount(output) + 1;
        foreach (float v in values)
        {
            if (!float.IsFinite(v)) PublishedNonFinite = true;
        }
        if (sampleIndex > CurrentSampleIndex) PublishedIntoTheFuture++;
        if (KeepHistory) _history.Add(new RecordedOutput(output, sampleIndex, values.ToArray()));
    }

    public void Emit(string eventName, long sampleIndex, string? detail = null)
    {
        ArgumentNullException.ThrowIfNull(eventName);
        if (_events.Count < EventCapacity) _events.Add(new RecordedEvent(eventName, sampleIndex, detail));
        else EventsNotKept++;
    }

    public void Log(string message) => _log.Add(message);

    /// <summary>Forgets events, history and the non-finite flag (latest values stay).</summary>
    public void Clear()
    {
        _events.Clear();
        _history.Clear();
        PublishedNonFinite = false;
        PublishedIntoTheFuture = 0;
        EventsNotKept = 0;
    }
}
