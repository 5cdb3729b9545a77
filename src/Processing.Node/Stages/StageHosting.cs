using Akka.Actor;
using Eeg.Pipeline.Mailboxes;
using Eeg.Pipeline.Sinks;
using Eeg.Shared.Frames;

namespace Eeg.Processing.Stages;

/// <summary>
/// One call for the node's wiring: registers a stage as a sink (its policy, depth and counters in the
/// <see cref="SinkRegistry"/>) and returns its host's Props with the policy mailbox attached, ready for
/// <see cref="StageSupervisor.StartStage"/>.
/// </summary>
public static class StageHosting
{
    /// <summary>The stage's counters (registered under its name) and its host's Props behind its policy mailbox.</summary>
    public static (Props Props, SinkCounters Counters) PolicyProps(
        ActorSystem system, StageBlueprint blueprint, StreamDescription stream, StageStats? stats = null)
    {
        SinkCounters counters = SinkRegistry.For(system).Register(blueprint.Entry.ToSinkSettings());
        Props props = StageHostActor.Props(blueprint, counters, stream, stats).WithMailbox(PolicyMailboxes.IdFor(blueprint.Entry.Policy));
        return (props, counters);
    }
}
