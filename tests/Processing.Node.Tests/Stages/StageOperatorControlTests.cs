using Akka.Actor;
using Eeg.Pipeline.Sinks;
using Eeg.Pipeline.Slabs;
using Eeg.Processing.Stages;
using Eeg.Shared.Control;
using Xunit.Abstractions;

namespace Eeg.Tests.Processing.Node.Stages;

/// <summary>The operator's stage restart, stop and start (the console's "stage restart NAME"), on the stage host.</summary>
public sealed class StageOperatorControlTests(ITestOutputHelper output) : StageHostTestKit(output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private static StageBlueprint ProbeBlueprint(string probe, string settings = "") =>
        new StageFactory().Resolve(StageFactoryTests.Entry(typeof(ProbeStage).FullName!, $"probe = \"{probe}\"\n{settings}", "alpha"));

    private static Task<StageCommandResult> Command(Hosted stage, StageAction action) =>
        stage.Host.Ask<StageCommandResult>(new StageCommand("alpha", action), Patience);

    [Fact]
    public async Task A_restart_asked_by_the_operator_builds_a_fresh_stage_raises_the_restart_count_and_logs_no_error()
    {
        string name = Probe.NewName();
        Hosted stage = StartStage(ProbeBlueprint(name));
        SlabPool pool = Pool(64);
        for (int i = 0; i < 10; i++) stage.Host.Tell(Frame(pool, i));
        Eventually(() => Probe.Named(name).Processed.Length == 10, "ten frames processed");

        StageCommandResult result = null!;
        await EventFilter.Error().ExpectAsync(0, async () => result = await Command(stage, StageAction.Restart));

        Assert.Equal(1, result.Restarts);
        Assert.True(result.Running);
        Assert.Equal(1, stage.Counters.Restarts);
        Assert.Equal(2, Probe.Named(name).Starts);
        Assert.Equal(1, Probe.Named(name).Stops);
        for (int i = 10; i < 20; i++) stage.Host.Tell(Frame(pool, i));
        Eventually(() => Probe.Named(name).Processed.Length == 20, "the frames after the restart processed");
        // No back-off after a restart that was asked for: nothing skipped.
        Assert.Equal(0, stage.Stats.Skipped);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => (long)i), Probe.Named(name).Processed);
    }

    [Fact]
    public async Task A_restart_brings_back_a_stage_that_spent_its_restart_budget()
    {
        string name = Probe.NewName();
        Hosted stage = StartStage(ProbeBlueprint(name, "throw-below = 3, max-restarts = 1, restart-backoff = 0ms"));
        SlabPool pool = Pool(64);
        for (int i = 0; i < 3; i++) stage.Host.Tell(Frame(pool, i));
        Eventually(() => stage.Counters.Failed, "the stage failed for good");

        StageCommandResult result = await Command(stage, StageAction.Restart);

        Assert.True(result.Running);
        Assert.False(stage.Counters.Failed);
        Assert.Equal(3, result.Restarts); // two after failures, one asked for
        for (int i = 3; i < 8; i++) stage.Host.Tell(Frame(pool, i));
        Eventually(() => Probe.Named(name).Processed.Length == 5, "the frames after the restart processed");
    }

    [Fact]
    public async Task A_stopped_stage_skips_every_frame_until_it_is_started_again_without_a_restart()
    {
        string name = Probe.NewName();
        Hosted stage = StartStage(ProbeBlueprint(name));
        SlabPool pool = Pool(64);

        StageCommandResult stopped = await Command(stage, StageAction.Stop);
        Assert.False(stopped.Running);
        Assert.True(SinkRunState.For(Sys).IsStopped("alpha"));
        Assert.Equal(1, Probe.Named(name).Stops);
        for (int i = 0; i < 10; i++) stage.Host.Tell(Frame(pool, i));
        Eventually(() => stage.Stats.Skipped == 10 && pool.Available == pool.Capacity, "ten frames skipped and released");
        Assert.Empty(Probe.Named(name).Processed);

        StageCommandResult started = await Command(stage, StageAction.Start);
        Assert.True(started.Running);
        Assert.False(SinkRunState.For(Sys).IsStopped("alpha"));
        for (int i = 10; i < 15; i++) stage.Host.Tell(Frame(pool, i));
        Eventually(() => Probe.Named(name).Processed.Length == 5, "five frames processed after the start");
        Assert.Equal(0, started.Restarts);
        Assert.Equal(2, Probe.Named(name).Starts);
    }

    [Fact]
    public async Task Under_a_parent_that_always_restarts_like_the_acquisition_actor_the_operator_restart_is_counted_once()
    {
        string name = Probe.NewName();
        StageBlueprint blueprint = ProbeBlueprint(name);
        SinkCounters counters = SinkRegistry.For(Sys).Register(blueprint.Entry.ToSinkSettings());
        Props props = StageHostActor.Props(blueprint, counters, Stream).WithMailbox(Eeg.Pipeline.Mailboxes.PolicyMailboxes.IdFor(blueprint.Entry.Policy));
        IActorRef parent = Sys.ActorOf(Props.Create(() => new RestartAlwaysParent()));
        parent.Tell(props, TestActor);
        IActorRef host = ExpectMsg<IActorRef>(Patience);

        StageCommandResult result = await host.Ask<StageCommandResult>(new StageCommand("alpha", StageAction.Restart), Patience);

        Assert.Equal(1, result.Restarts);
        Assert.Equal(1, counters.Restarts);
        Assert.Equal(2, Probe.Named(name).Starts);
    }
}
