using System.Diagnostics;
using Akka.Actor;
using Akka.Event;
using Eeg.Pipeline.Sinks;
using Eeg.Pipeline.Slabs;
using Eeg.Shared.Frames;
using Eeg.Shared.Stages;

namespace Eeg.Processing.Stages;

/// <summary>
/// Runs one research stage: receives frames (slabs) through the mailbox its loss policy names, builds
/// a <see cref="FrameView"/> over the slab and calls the stage. The base class counts the frame,
/// records its latency and releases the slab after the call whatever happens.
/// </summary>
/// <remarks>
/// <para>Failure: any exception of the stage is rethrown as <see cref="StageFailedException"/> to the
/// parent, a <see cref="StageSupervisor"/>, which restarts this actor (a fresh stage instance, the same
/// mailbox and ActorRef, so the fan-out notices nothing) or stops it when its budget is spent.</para>
/// <para>Back-off: after a restart the new incarnation does not build its stage until the back-off
/// deadline; frames arriving before it are released unprocessed and counted
/// (<see cref="StageStats.SkippedWhileBackingOff"/>). The deadline is checked on frame arrival rather
/// than by a timer message, because a timer message would have to pass through the stage's
/// drop-newest or decimating mailbox and could be dropped.</para>
/// <para>Hot path: building the view is a struct over the slab's arrays (no copy, no allocation);
/// StageHostTests.The_host_allocates_nothing_per_frame_between_output_forwards proves zero bytes per frame for an allocation-free stage.</para>
/// </remarks>
public sealed class StageHostActor : FrameSinkActor
{
    private readonly StageBlueprint _blueprint;
    private readonly StageStats _stats;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly StageHostContext _context;
    private IStage? _stage;

    public StageHostActor(StageBlueprint blueprint, SinkCounters counters, StageStats stats) : base(counters)
    {
        _blueprint = blueprint;
        _stats = stats;
        _context = new StageHostContext(blueprint.Name, stats.Stream, Context.System.EventStream, _log, stats, blueprint.Options.PublishInterval);
    }

    /// <summary>
    /// The Props of one stage's host. Attach the stage's policy mailbox with <c>.WithMailbox(...)</c>.
    /// Pass the same <paramref name="stats"/> to status if it should show them; the Props keep it for
    /// every incarnation of the actor.
    /// </summary>
    public static Props Props(StageBlueprint blueprint, SinkCounters counters, StreamDescription stream, StageStats? stats = null)
    {
        ArgumentNullException.ThrowIfNull(blueprint);
        ArgumentNullException.ThrowIfNull(counters);
        ArgumentNullException.ThrowIfNull(stream);
        StageStats shared = stats ?? new StageStats(stream);
        return Akka.Actor.Props.Create(() => new StageHostActor(blueprint, counters, shared));
    }

    protected override void PreStart()
    {
        if (Stopwatch.GetTimestamp() >= _stats.ResumeAtTicks) StartStage();
    }

    protected override void PostRestart(Exception reason)
    {
        TimeSpan pause = _stats.BeginBackoff(_blueprint.Options);
        if (pause > TimeSpan.Zero) _log.Info("stage '{0}' restarts in {1} ms", _blueprint.Name, (long)pause.TotalMilliseconds);
        base.PostRestart(reason); // calls PreStart
    }

    protected override void PostStop()
    {
        StopStage();
        _context.Flush(force: true);
    }

    protected override void OnFrame(Slab slab)
    {
        if (_stage is null)
        {
            if (Stopwatch.GetTimestamp() < _stats.ResumeAtTicks)
            {
                _stats.CountSkipped();
                return;
            }
            StartStage();
            if (_stage is null) return;
        }

        var view = new FrameView(
            slab.MicrovoltSpan,
            slab.Channels,
            slab.FirstSampleIndex,
            slab.FirstSampleUnixNs,
            _context.Stream.SampleRate,
            slab.Flags,
            slab.GapSamples,
            slab.Triggers.AsSpan(0, slab.TriggerCount));
        _context.BeginFrame(view.LastSampleIndex);
        try
        {
            _stage.Process(in view, _context);
        }
        catch (Exception e)
        {
            throw Failed("Process", e);
        }
        _context.Flush();
    }

    protected override void OnStreamStarted(StreamDescription description)
    {
        // The fan-out announces the stream to every sink at start; the host already started its stage
        // with the same description from its Props, and restarting the stage would throw its state away.
        if (SameStream(description, _context.Stream)) return;
        _stats.Stream = description;
        _context.Stream = description;
        if (_stage is null) return;
        try
        {
            _stage.OnStop();
            _stage.OnStart(description, _context);
        }
        catch (Exception e)
        {
            throw Failed("OnStart", e);
        }
    }

    private void StartStage()
    {
        IStage stage;
        try
        {
            stage = _blueprint.Create();
        }
        catch (Exception e)
        {
            throw Failed("its constructor", e);
        }
        try
        {
            stage.OnStart(_context.Stream, _context);
        }
        catch (Exception e)
        {
            throw Failed("OnStart", e);
        }
        _stage = stage;
    }

    private void StopStage()
    {
        IStage? stage = _stage;
        _stage = null;
        if (stage is null) return;
        try
        {
            stage.OnStop();
        }
        catch (Exception e)
        {
            // The stage is going away anyway (often because it failed): log, do not fail twice.
            _log.Warning("stage '{0}' threw in OnStop: {1}: {2}", _blueprint.Name, e.GetType().Name, e.Message);
        }
        (stage as IDisposable)?.Dispose();
    }

    private static bool SameStream(StreamDescription a, StreamDescription b) =>
        ReferenceEquals(a, b)
        || (a with { ChannelNames = b.ChannelNames }) == b && a.ChannelNames.SequenceEqual(b.ChannelNames, StringComparer.Ordinal);

    private StageFailedException Failed(string call, Exception e)
    {
        _stats.RecordFailure(e);
        return new StageFailedException(_blueprint.Name, call, e);
    }
}
