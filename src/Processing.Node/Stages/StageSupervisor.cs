using Akka.Actor;
using Akka.Event;
using Eeg.Pipeline.Sinks;
using Eeg.Pipeline.Slabs;

namespace Eeg.Processing.Stages;

/// <summary>
/// Parent of the stage hosts when the stages run apart from the acquisition actor (the processing
/// role): starts each host under the stage's name and restarts a host whose stage threw. The host
/// itself applies the back-off, logs each failure and, past its restart budget, marks itself failed
/// (see <see cref="StageHostActor"/>), so this strategy never stops a host: the ActorRef the fan-out
/// holds stays valid. Nothing propagates upwards: the rest of the pipeline never notices.
/// </summary>
/// <remarks>
/// A host stopped anyway (shutdown) may still be sent frames by the fan-out: those become dead
/// letters, and this actor releases every dead-lettered slab addressed to one of its hosts (counting
/// it dropped), so the pool never leaks. Frames queued in a policy mailbox when its actor stops are
/// drained back to the pool by the mailbox itself.
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
        // loggingEnabled: false, because the host logs its stage's failures itself, with the stage's
        // name and budget.
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
        if (failure is not (StageFailedException or OperatorRestartException))
        {
            // Not a stage's own exception (a host bug): log it here, the host did not.
            _log.Error(cause, "a stage host failed outside its stage; restarting it");
        }
        return Directive.Restart;
    }

    private void ReleaseDeadFrame(DeadLetter dead)
    {
        // The frame never reached the stage (mailbox drained at stop, or sent after it): give the
        // slab back to the pool and count the frame as dropped for that sink.
        _stages[dead.Recipient].Counters.CountDropped();
        ((Slab)dead.Message).Release();
    }

    private sealed record Supervised(StageBlueprint Blueprint, SinkCounters Counters);
}
