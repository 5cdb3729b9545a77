using System.Diagnostics;
using Akka.Actor;
using Akka.Event;
using Eeg.Pipeline.Sinks;
using Eeg.Pipeline.Slabs;

namespace Eeg.Processing.Stages;

/// <summary>
/// Parent of every stage host. A stage that throws is restarted (its host applies the back-off);
/// each failure is logged with the exception. After more than <see cref="StageHostOptions.MaxRestarts"/>
/// failures within <see cref="StageHostOptions.RestartWindow"/> the stage is stopped and its
/// <see cref="SinkCounters"/> marked failed. Nothing propagates upwards: the rest of the pipeline
/// never notices.
/// </summary>
/// <remarks>
/// A stopped host's ActorRef stays in the fan-out until the fan-out sees <see cref="SinkCounters.Failed"/>.
/// Frames still queued when it stops go back to the pool (the policy mailbox drains them; with a plain
/// Akka mailbox they become dead letters), and frames sent to it afterwards become dead letters: this
/// actor releases every dead-lettered slab addressed to one of its hosts and counts it dropped, so the
/// pool never leaks.
/// </remarks>
public sealed class StageSupervisor : ReceiveActor
{
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<IActorRef, Supervised> _stages = [];

    /// <summary>Asks the supervisor to start one stage host from <paramref name="HostProps"/> (made by <see cref="StageHostActor.Props"/>, with the policy mailbox attached). Replies <see cref="StageStarted"/>.</summary>
    public sealed record StartStage(StageBlueprint Blueprint, SinkCounters Counters, Props HostProps);

    /// <summary>The host's ActorRef: the fan-out sends it frames and the stream description.</summary>
    public sealed record StageStarted(string Name, IActorRef Host);

    public StageSupervisor()
    {
        Receive<StartStage>(Start);
        Receive<DeadLetter>(d => d.Message is Slab && _stages.ContainsKey(d.Recipient), ReleaseDeadFrame);
        Receive<DeadLetter>(_ => { });
        // A stopped host stays in the table: its dead letters may arrive after its Terminated, and its
        // slabs must still be released. The table holds one entry per configured stage, so it is bounded.
        Receive<Terminated>(_ => { });
    }

    /// <summary>The supervisor's Props (default mailbox: it receives control messages only).</summary>
    public static Props Props() => Akka.Actor.Props.Create(() => new StageSupervisor());

    protected override void PreStart() => Context.System.EventStream.Subscribe(Self, typeof(DeadLetter));

    protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);

    protected override SupervisorStrategy SupervisorStrategy() =>
        // loggingEnabled: false, because Decide logs each failure itself, with the stage's name and budget.
        new OneForOneStrategy(Decide, loggingEnabled: false);

    private void Start(StartStage start)
    {
        if (!Context.Child(start.Blueprint.Name).IsNobody())
        {
            // Answered, not thrown: a throw here would restart this supervisor and with it every stage.
            Sender.Tell(new Status.Failure(new InvalidOperationException($"stage '{start.Blueprint.Name}' is already running")));
            return;
        }
        // Named exactly as the stage: the policy mailbox finds the sink's settings and counters in the
        // SinkRegistry by the actor's name (StageFactory checked the name is a valid actor name).
        IActorRef host = Context.ActorOf(start.HostProps, start.Blueprint.Name);
        Context.Watch(host);
        _stages[host] = new Supervised(start.Blueprint, start.Counters);
        Sender.Tell(new StageStarted(start.Blueprint.Name, host));
    }

    private Directive Decide(Exception cause)
    {
        Exception failure = cause is ActorInitializationException { InnerException: { } inner } ? inner : cause;
        Supervised? stage = failure is StageFailedException sfe ? _stages.Values.LastOrDefault(s => s.Blueprint.Name == sfe.StageName) : null;
        if (stage is null)
        {
            // Not a stage's own exception (a host bug): restart, which PreRestart counts.
            _log.Error(cause, "a stage host failed outside its stage; restarting it");
            return Directive.Restart;
        }

        StageHostOptions options = stage.Blueprint.Options;
        int recent = stage.CountFailure(options.RestartWindow);
        if (recent > options.MaxRestarts)
        {
            string reason = $"stopped after {options.MaxRestarts} restarts within {options.RestartWindow}; last failure: {failure.Message}";
            stage.Counters.Fail(reason);
            _log.Error(failure.InnerException ?? failure, "stage '{0}' failed and is stopped: {1}", stage.Blueprint.Name, reason);
            return Directive.Stop;
        }
        _log.Error(failure.InnerException ?? failure, "stage '{0}' failed ({1} of {2} restarts allowed within {3}); restarting: {4}",
            stage.Blueprint.Name, recent, options.MaxRestarts, options.RestartWindow, failure.Message);
        return Directive.Restart;
    }

    private void ReleaseDeadFrame(DeadLetter dead)
    {
        // The frame never reached the stage (mailbox drained at stop, or sent after it): give the
        // slab back to the pool and count the frame as dropped for that sink.
        _stages[dead.Recipient].Counters.CountDropped();
        ((Slab)dead.Message).Release();
    }

    private sealed class Supervised(StageBlueprint blueprint, SinkCounters counters)
    {
        private readonly Queue<long> _failures = new();
        public StageBlueprint Blueprint { get; } = blueprint;
        public SinkCounters Counters { get; } = counters;

        /// <summary>Records a failure and returns how many fall in the window ending now.</summary>
        public int CountFailure(TimeSpan window)
        {
            long now = Stopwatch.GetTimestamp();
            long windowTicks = (long)(window.TotalSeconds * Stopwatch.Frequency);
            while (_failures.Count > 0 && now - _failures.Peek() > windowTicks) _failures.Dequeue();
            _failures.Enqueue(now);
            return _failures.Count;
        }
    }
}
