using System.Diagnostics;
using Akka.Actor;
using Eeg.Pipeline.Slabs;
using Eeg.Processing.Stages;
using Eeg.Shared.Stages;
using Xunit.Abstractions;

namespace Eeg.Tests.Processing.Node.Stages;

/// <summary>The example stages run by the real host, found by name as the node finds them.</summary>
public sealed class ExampleStagesInTheHostTests(ITestOutputHelper output) : StageHostTestKit(output)
{
    private static Slab SineFrame(SlabPool pool, long index, double hz, double amplitude)
    {
        Assert.True(pool.TryRent(out Slab slab));
        slab.FirstSampleIndex = index;
        slab.SampleCount = 1;
        slab.DrdyTicks[0] = Stopwatch.GetTimestamp();
        float v = (float)(amplitude * Math.Sin(2 * Math.PI * hz * index / Stream.SampleRate));
        slab.Microvolts.AsSpan(0, slab.Channels).Fill(v);
        return slab;
    }

    [Fact]
    public void A_stage_in_an_assembly_the_node_references_is_found_by_its_full_name_without_a_stage_directory()
    {
        // This test project references Eeg.Plugins.Examples but names its types only as strings, so the
        // first lookup in a test run finds the assembly by the type's namespace (not yet loaded), later
        // ones among the loaded assemblies; either way no stage-directory is needed.
        StageBlueprint blueprint = new StageFactory().Resolve(StageFactoryTests.Entry("Eeg.Plugins.Examples.CommonAverageReferenceStage", "exclude-channels = [Fp1]"));
        Assert.Equal("Eeg.Plugins.Examples", blueprint.StageType.Assembly.GetName().Name);
    }

    [Fact]
    public void Band_power_run_by_the_host_publishes_alpha_power_of_a_10_Hz_sine_with_channel_labels()
    {
        StageBlueprint blueprint = new StageFactory().Resolve(StageFactoryTests.Entry(
            "Eeg.Plugins.Examples.BandPowerStage", "window-seconds = 1, update-seconds = 0.25, publish-interval = 0ms"));
        Hosted stage = StartStage(blueprint);
        Sys.EventStream.Subscribe(TestActor, typeof(StageOutputUpdate));
        SlabPool pool = Pool(1100);

        // 1.1 s at 1000 samples/s: the window fills at 1 s and the first estimate follows.
        for (int i = 0; i < 1100; i++) stage.Host.Tell(SineFrame(pool, i, hz: 10, amplitude: 20));

        var alpha = FishForMessage<StageOutputUpdate>(u => u.Output == "alpha", TimeSpan.FromSeconds(10));
        Assert.Equal(("alpha", Stream.ChannelNames), (alpha.Stage, alpha.Labels));
        Assert.All(alpha.Values, v => Assert.InRange(v, 195f, 205f)); // A^2 / 2 = 200 uV^2
        Assert.Equal(0, stage.Stats.Coalesced);
    }
}
