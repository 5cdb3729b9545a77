using Akka.Actor;

namespace Eeg.Pipeline.Sinks;

/// <summary>
/// Thrown by a sink actor on purpose when the operator asks for a restart (the console's
/// "stage restart"): its supervisor restarts it like after a failure, so the same ActorRef and
/// mailbox stay and the restart is counted, but nothing is logged as an error.
/// <paramref name="ReplyTo"/> gets the answer from the new incarnation.
/// </summary>
public sealed class OperatorRestartException(IActorRef replyTo) : Exception("restart requested by the operator")
{
    public IActorRef ReplyTo { get; } = replyTo;
}
