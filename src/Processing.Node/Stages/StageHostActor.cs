using System.Diagnostics;
using Akka.Actor;
using Akka.Event;
using Eeg.Pipeline.Sinks;
using Eeg.Pipeline.Slabs;
using Eeg.Shared.Control;
using Eeg.Shared.Frames;
using Eeg.Shared.Stages;

namespace Eeg.Processing.Stages;

/// <summary>
/// Runs one research stage: receives frames (slabs) through the mailbox its loss policy names, builds
/// a <see cref="FrameView"/> over the slab and calls the stage. The base class counts the frame,
/// records its latency and releases the slab after the call whatever happens.
/// </summary>
/// <remarks>
/// <para>Failure: any exception of the stage is rethrown as <see cref="StageFailedException"/>; the parent
/// (a <see cref="StageSupervisor"/>, or any parent whose strategy restarts its children, such as the
/// acquisition actor) restarts this actor: a fresh stage instance behind the same mailbox and ActorRef,
/// so the fan-out notices nothing. The host itself keeps the budget, so it holds under any such
/// parent: each restart is logged with the exception and counted (FrameSinkActor.PreRestart); past
/// <see cref="StageHostOptions.MaxRestarts"/> restarts within <see cref="StageHostOptions.RestartWindow"/>
/// the stage is not rebuilt, its <see cref="SinkCounters"/> are marked failed (so its policy queue
/// drops, and counts, every further frame) and the host idles until the failure is cleared by hand
/// (<see cref="SinkCounters.ClearFailure"/>), when it rebuilds the stage with a full budget.</para>
/// <para>Back-off: after a restart the new incarnation does not build its stage until the back-off
/// deadline; frames arriving before it are released unprocessed and counted
/// (<see cref="StageStats.Skipped"/>). The deadline is checked on frame arrival rather than by a timer
/// message, because a timer message would have to pass through the stage's drop-newest or decimating
/// mailbox and could be dropped.</para>
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
    private bool _failed; // the budget is spent: no stage until the failure is cleared

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
        if (_failed || _stats.Stopped) return;
        if (Stopwatch.GetTimestamp() >= _stats.ResumeAtTicks) StartStage();
    }

    protected override void PostRestart(Exception reason)
    {
        if (reason is OperatorRestartException requested)
        {
            // Asked for, not a failure: no back-off, a full budget, and a stopped or failed stage runs again.
            ClearOperatorState();
            _log.Info("stage '{0}' restarted by the operator", _blueprint.Name);
            base.PostRestart(reason); // calls PreStart, which builds the stage
            requested.ReplyTo.Tell(Result());
            return;
        }
        Exception failure = reason is ActorInitializationException { InnerException: { } inner } ? inner : reason;
        Exception cause = failure is StageFailedException { InnerException: { } stageOwn } ? stageOwn : failure;
        StageHostOptions options = _blueprint.Options;
        (int recent, TimeSpan pause) = _stats.BeginBackoff(options);
        if (recent > options.MaxRestarts)
        {
            _failed = true;
            string why = $"stopped after {options.MaxRestarts} restarts within {options.RestartWindow}; last failure: {failure.Message}";
            Counters.Fail(why);
            _log.Error(cause, "stage '{0}' failed and is stopped: {1}", _blueprint.Name, why);
        }
        else
        {
            _log.Error(cause, "stage '{0}' failed ({1} of {2} restarts allowed within {3}), restarting in {4} ms: {5}",
                _blueprint.Name, recent, options.MaxRestarts, options.RestartWindow, (long)pause.TotalMilliseconds, failure.Message);
        }
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
            if (_stats.Stopped)
            {
                // Stopped by the operator: checked only here, where no stage runs, so a running stage pays nothing.
                _stats.CountSkipped();
                return;
            }
            if (_failed)
            {
                if (Counters.Failed)
                {
                    _stats.CountSkipped(); // queued before the failure; the policy queue drops the rest
                    return;
                }
                // Cleared by hand: a fresh stage with a full budget.
                _failed = false;
                _stats.ResetRestarts();
                _log.Info("stage '{0}' resumes: its failure was cleared", _blueprint.Name);
            }
            else if (Stopwatch.GetTimestamp() < _stats.ResumeAtTicks)
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

    /// <summary>The operator's <see cref="StageCommand"/>s (restart, stop, start), from the node agent.</summary>
    protected override void OnControl(object message)
    {
        if (message is not StageCommand command)
        {
            base.OnControl(message);
            return;
        }
        switch (command.Action)
        {
            case StageAction.Restart:
                // Through the supervisor, as after a failure: same ActorRef and mailbox, restart counted.
                throw new OperatorRestartException(Sender);
            case StageAction.Stop:
                StopStage();
                _stats.Stopped = true;
                SinkRunState.For(Context.System).SetStopped(_blueprint.Name, true);
                _log.Info("stage '{0}' stopped by the operator", _blueprint.Name);
                Sender.Tell(Result());
                break;
            case StageAction.Start:
                ClearOperatorState();
                if (_stage is null)
                {
                    try
                    {
                        StartStage();
                    }
                    catch (StageFailedException)
                    {
                        Sender.Tell(Result());
                        throw;
                    }
                }
                _log.Info("stage '{0}' started by the operator", _blueprint.Name);
                Sender.Tell(Result());
                break;
        }
    }

    private void ClearOperatorState()
    {
        _stats.Stopped = false;
        SinkRunState.For(Context.System).SetStopped(_blueprint.Name, false);
        _failed = false;
        Counters.ClearFailure();
        _stats.ResetRestarts();
    }

    private StageCommandResult Result() => new(_blueprint.Name, "", Counters.Restarts, _stage is not null);

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
