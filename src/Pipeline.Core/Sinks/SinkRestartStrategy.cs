using Akka.Actor;

namespace Eeg.Pipeline.Sinks;

/// <summary>
/// Restarts any sink that throws, on its own, without limit (a stage host keeps its own budget), and
/// does not log a restart the operator asked for (<see cref="OperatorRestartException"/>).
/// </summary>
public class SinkRestartStrategy() : OneForOneStrategy(-1, Timeout.InfiniteTimeSpan, _ => Directive.Restart)
{
    protected override void LogFailure(IActorContext context, IActorRef child, Exception cause, Directive directive)
    {
        if (cause is OperatorRestartException) return;
        base.LogFailure(context, child, cause, directive);
    }
}
