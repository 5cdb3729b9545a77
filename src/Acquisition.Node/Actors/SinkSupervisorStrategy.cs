using Akka.Actor;
using Eeg.Processing.Stages;

namespace Eeg.Acquisition.Actors;

/// <summary>
/// How the acquisition actor supervises its sinks: any sink that throws is restarted on its own
/// (one-for-one, no limit here: a stage host keeps its own budget of restarts and backs off; the
/// scope and the recorder should never throw, and if they do, a restart is the right answer).
/// A stage host logs its stage's failure itself, with the stage's name, so it is not logged twice.
/// </summary>
public sealed class SinkSupervisorStrategy() : OneForOneStrategy(-1, Timeout.InfiniteTimeSpan, _ => Directive.Restart)
{
    protected override void LogFailure(IActorContext context, IActorRef child, Exception cause, Directive directive)
    {
        if (cause is StageFailedException or Eeg.Pipeline.Sinks.OperatorRestartException) return;
        base.LogFailure(context, child, cause, directive);
    }
}
