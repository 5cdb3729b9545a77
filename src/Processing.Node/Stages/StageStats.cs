using System.Diagnostics;
using Eeg.Shared.Frames;

namespace Eeg.Processing.Stages;

/// <summary>
/// What the host knows about one stage beyond its <see cref="Eeg.Pipeline.Sinks.SinkCounters"/>:
/// outputs published and forwarded, events, frames skipped while it backs off after a failure.
/// One instance per configured stage, shared by every incarnation of its host actor (it travels in
/// the Props), so it survives restarts. Written by the host's thread, read by status.
/// </summary>
public sealed class StageStats
{
    private long _published;
    private long _forwarded;
    private long _coalesced;
    private long _events;
    private long _eventsDropped;
    private long _skipped;
    private long _resumeAtTicks;
    private volatile StreamDescription? _stream;
    private volatile string? _lastFailure;
    private volatile bool _stopped;
    private readonly Queue<long> _recentRestarts = new();

    public StageStats(StreamDescription stream) => _stream = stream;

    /// <summary>Calls of Publish.</summary>
    public long Published => Interlocked.Read(ref _published);
    /// <summary>Output updates forwarded to the event stream.</summary>
    public long Forwarded => Interlocked.Read(ref _forwarded);
    /// <summary>Published values replaced by a newer value before they were forwarded (the throttle's losses).</summary>
    public long Coalesced => Interlocked.Read(ref _coalesced);
    /// <summary>Events forwarded.</summary>
    public long Events => Interlocked.Read(ref _events);
    /// <summary>Events dropped by the per-second limit.</summary>
    public long EventsDropped => Interlocked.Read(ref _eventsDropped);
    /// <summary>Frames delivered to the host but not processed (released at once): while the stage waited
    /// out its restart back-off, or after it failed for good.</summary>
    public long Skipped => Interlocked.Read(ref _skipped);
    /// <summary>The last exception the stage threw, as "Type: message".</summary>
    public string? LastFailure => _lastFailure;
    /// <summary>The latest stream description (a restarted stage starts with it).</summary>
    public StreamDescription Stream { get => _stream!; internal set => _stream = value; }

    /// <summary>True while the operator has the stage stopped ("stage stop"): its host releases every frame unprocessed.</summary>
    public bool Stopped { get => _stopped; internal set => _stopped = value; }

    internal long ResumeAtTicks => Volatile.Read(ref _resumeAtTicks);

    internal void CountPublished() => Interlocked.Increment(ref _published);
    internal void CountForwarded() => Interlocked.Increment(ref _forwarded);
    internal void CountCoalesced() => Interlocked.Increment(ref _coalesced);
    internal void CountEvent() => Interlocked.Increment(ref _events);
    internal void CountEventDropped() => Interlocked.Increment(ref _eventsDropped);
    internal void CountSkipped() => Interlocked.Increment(ref _skipped);
    internal void RecordFailure(Exception e) => _lastFailure = $"{e.GetType().Name}: {e.Message}";

    /// <summary>
    /// Counts a restart in the sliding window and sets when the new incarnation may resume. Returns how
    /// many restarts fall in the window (this one included) and the pause before the stage is rebuilt.
    /// </summary>
    internal (int RestartsInWindow, TimeSpan Pause) BeginBackoff(StageHostOptions options)
    {
        long now = Stopwatch.GetTimestamp();
        long windowTicks = (long)(options.RestartWindow.TotalSeconds * Stopwatch.Frequency);
        lock (_recentRestarts)
        {
            while (_recentRestarts.Count > 0 && now - _recentRestarts.Peek() > windowTicks) _recentRestarts.Dequeue();
            _recentRestarts.Enqueue(now);
            TimeSpan pause = options.BackoffFor(_recentRestarts.Count);
            Volatile.Write(ref _resumeAtTicks, now + (long)(pause.TotalSeconds * Stopwatch.Frequency));
            return (_recentRestarts.Count, pause);
        }
    }

    /// <summary>Forgets past restarts (a failed stage cleared by hand starts with a full budget).</summary>
    internal void ResetRestarts()
    {
        lock (_recentRestarts)
        {
            _recentRestarts.Clear();
            Volatile.Write(ref _resumeAtTicks, 0);
        }
    }
}
