using Akka.Actor;
using System.Runtime.Loader;
using Eeg.Pipeline.Slabs;
using Eeg.Processing.Stages;
using Eeg.Shared.Stages;
using Xunit.Abstractions;

namespace Eeg.Tests.Processing.Node.Stages;

public sealed class ExternalStageAssemblyTests(ITestOutputHelper output) : StageHostTestKit(output)
{
    /// <summary>A stage directory as a researcher's build leaves it: their dll and a copy of Shared.Messages.</summary>
    private static string StageDirectory()
    {
        string built = Path.Combine(AppContext.BaseDirectory, "test-plugin", "Eeg.Tests.TestPlugin.dll");
        Assert.True(File.Exists(built), $"{built} is missing: the test project's build copies tests/TestPlugin there");
        string folder = Directory.CreateTempSubdirectory("eeg-stages-").FullName;
        File.Copy(built, Path.Combine(folder, "Eeg.Tests.TestPlugin.dll"));
        File.Copy(typeof(IStage).Assembly.Location, Path.Combine(folder, Path.GetFileName(typeof(IStage).Assembly.Location)));
        return folder;
    }

    [Fact]
    public void A_stage_assembly_loaded_from_the_stage_directory_runs_and_publishes()
    {
        string folder = StageDirectory();
        var factory = new StageFactory(folder);

        // Only the stage's own assembly is loaded from the folder; Shared.Messages is the host's.
        Assert.Equal(["Eeg.Tests.TestPlugin"], factory.DirectoryAssemblies.Select(a => a.GetName().Name));
        StageBlueprint blueprint = factory.Resolve(StageFactoryTests.Entry("Eeg.Tests.TestPlugin.RunningSumStage", "scale = 2, output = total, publish-interval = 1h", "sum"));
        Assert.NotSame(AssemblyLoadContext.Default, AssemblyLoadContext.GetLoadContext(blueprint.StageType.Assembly));
        Assert.Equal(folder, Path.GetDirectoryName(blueprint.StageType.Assembly.Location));

        Hosted stage = StartStage(blueprint);
        Sys.EventStream.Subscribe(TestActor, typeof(StageOutputUpdate));
        SlabPool pool = Pool(8);
        for (int i = 0; i < 3; i++) stage.Host.Tell(Frame(pool, i)); // channel c of frame i holds i + c

        var first = ExpectMsg<StageOutputUpdate>(TimeSpan.FromSeconds(10));
        Assert.Equal(("sum", "total", 0L), (first.Stage, first.Output, first.SampleIndex));
        Assert.Equal([0f, 2f, 4f, 6f], first.Values);
        Assert.Equal(Stream.ChannelNames, first.Labels);

        AwaitCondition(() => stage.Counters.Delivered == 3 && pool.Available == pool.Capacity, TimeSpan.FromSeconds(10));
        Sys.Stop(stage.Host);
        var last = ExpectMsg<StageOutputUpdate>(TimeSpan.FromSeconds(10));
        // 2 * sum over i of (i + c) for i = 0, 1, 2: 6, 12, 18, 24.
        Assert.Equal([6f, 12f, 18f, 24f], last.Values);
    }

    [Fact]
    public void A_type_missing_from_the_stage_directory_is_reported_with_the_folder_and_its_assemblies()
    {
        string folder = StageDirectory();
        var e = Assert.Throws<Eeg.Pipeline.Configuration.ConfigException>(() =>
            new StageFactory(folder).Resolve(StageFactoryTests.Entry("Eeg.Tests.TestPlugin.RunningSumStag")));
        Assert.Equal($"stage 'alpha': type 'Eeg.Tests.TestPlugin.RunningSumStag' not found in the host's assemblies or in pipeline.stage-directory '{folder}' (Eeg.Tests.TestPlugin)", e.Message);
    }
}
