using System.Diagnostics;
using Akka.Actor;
using Eeg.Pipeline.Sinks;
using Eeg.Pipeline.Slabs;
using Eeg.Processing.Stages;
using Eeg.Shared.Frames;
using Xunit.Abstractions;

namespace Eeg.Tests.Processing.Node.Stages;

/// <summary>Shared set-up of the stage host tests: an actor system with a bounded mailbox, a supervisor, frames from a pool.</summary>
public abstract class StageHostTestKit : Akka.TestKit.Xunit2.TestKit
{
    // Stands in for the lead's policy mailboxes: Akka's bounded mailbox with no push timeout drops
    // (to dead letters) instead of blocking the sender when full.
    private static readonly string Hocon = Eeg.Pipeline.Mailboxes.PolicyMailboxes.Hocon + """

        akka.loglevel = WARNING
        akka.log-dead-letters = off
        bounded-4 {
          mailbox-type = "Akka.Dispatch.BoundedMailbox, Akka"
          mailbox-capacity = 4
          mailbox-push-timeout-time = 0s
        }
        """;

    protected static readonly StreamDescription Stream =
        new(StreamDescription.DefaultChannelNames(4), 1000, 1, 24, 4.5, "uV", "none", 0, "test");

    private IActorRef? _supervisor;

    protected StageHostTestKit(ITestOutputHelper output) : base(Hocon, output) { }

    protected IActorRef Supervisor => _supervisor ??= Sys.ActorOf(StageSupervisor.Props(), "stages");

    protected sealed record Hosted(IActorRef Host, SinkCounters Counters, StageStats Stats, StageBlueprint Blueprint);

    /// <summary>Starts a stage behind its policy mailbox, as the node does (StageHosting.PolicyProps).</summary>
    protected Hosted StartStageWithPolicy(StageBlueprint blueprint)
    {
        var stats = new StageStats(Stream);
        (Props props, SinkCounters counters) = StageHosting.PolicyProps(Sys, blueprint, Stream, stats);
        var started = Supervisor.Ask<StageSupervisor.StageStarted>(new StageSupervisor.StartStage(blueprint, counters, props), TimeSpan.FromSeconds(10)).Result;
        return new Hosted(started.Host, counters, stats, blueprint);
    }

    protected Hosted StartStage(StageBlueprint blueprint, string? mailbox = null)
    {
        var counters = new SinkCounters(blueprint.Name, blueprint.Entry.Policy, blueprint.Entry.Capacity);
        var stats = new StageStats(Stream);
        Props props = StageHostActor.Props(blueprint, counters, Stream, stats);
        if (mailbox is not null) props = props.WithMailbox(mailbox);
        var started = Supervisor.Ask<StageSupervisor.StageStarted>(new StageSupervisor.StartStage(blueprint, counters, props), TimeSpan.FromSeconds(10)).Result;
        Assert.Equal(blueprint.Name, started.Name);
        return new Hosted(started.Host, counters, stats, blueprint);
    }

    /// <summary>A one-sample frame at <paramref name="index"/>, shared by <paramref name="holders"/> sinks, as the fan-out hands it out.</summary>
    protected static Slab Frame(SlabPool pool, long index, int holders = 1)
    {
        Assert.True(pool.TryRent(out Slab slab), "the test's pool ran dry");
        slab.FirstSampleIndex = index;
        slab.SampleCount = 1;
        slab.FirstSampleUnixNs = Stream.StartUnixNs + index * 1_000_000;
        slab.DrdyTicks[0] = Stopwatch.GetTimestamp();
        for (int c = 0; c < slab.Channels; c++) slab.Microvolts[c] = index + c;
        if (holders > 1) slab.SetReferences(holders);
        return slab;
    }

    protected static SlabPool Pool(int slabs) => new(slabs, Stream.ChannelCount, 1);

    /// <summary>Waits (without a fixed sleep) until the condition holds.</summary>
    protected void Eventually(Func<bool> condition, string what, int seconds = 20) =>
        AwaitCondition(condition, TimeSpan.FromSeconds(seconds), TimeSpan.FromMilliseconds(20), what);
}

/// <summary>Another sink beside the stage (a stand-in for the scope or the recorder).</summary>
public sealed class CountingSink(SinkCounters counters) : FrameSinkActor(counters)
{
    protected override void OnFrame(Slab slab) { }
}

/// <summary>
/// A parent like the acquisition actor: it creates its sinks itself and restarts any that throws,
/// with no budget of its own (OneForOneStrategy, unlimited retries).
/// </summary>
public sealed class RestartAlwaysParent : ReceiveActor
{
    public RestartAlwaysParent()
    {
        Receive<Props>(props => Sender.Tell(Context.ActorOf(props, "alpha")));
    }

    protected override SupervisorStrategy SupervisorStrategy() =>
        new OneForOneStrategy(maxNrOfRetries: -1, withinTimeRange: Timeout.InfiniteTimeSpan, localOnlyDecider: _ => Directive.Restart);
}
