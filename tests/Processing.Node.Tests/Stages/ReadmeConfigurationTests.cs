using System.Text.RegularExpressions;
using Akka.Configuration;
using Eeg.Pipeline.Configuration;
using Eeg.Processing.Stages;

namespace Eeg.Tests.Processing.Node.Stages;

/// <summary>plugins/README.md promises that its configuration works as written; these tests hold it to that.</summary>
public sealed class ReadmeConfigurationTests
{
    private static string Readme()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string path = Path.Combine(dir.FullName, "plugins", "README.md");
            if (File.Exists(path)) return File.ReadAllText(path);
        }
        throw new FileNotFoundException("plugins/README.md not found above " + AppContext.BaseDirectory);
    }

    [Fact]
    public void The_readmes_configuration_example_is_accepted_by_the_node_settings_and_the_stage_factory()
    {
        string hocon = Regex.Match(Readme(), "```hocon\n(.*?)```", RegexOptions.Singleline).Groups[1].Value;
        Assert.Contains("stages = [", hocon);
        string file = Path.Combine(Directory.CreateTempSubdirectory("eeg-readme-").FullName, "stages.conf");
        File.WriteAllText(file, hocon);

        PipelineSettings settings = PipelineSettings.FromConfig(ConfigLoader.Load(file, null, _ => null));

        StageEntry entry = Assert.Single(settings.Stages);
        Assert.Equal(("alpha", SinkPolicy.DropOldest, 8), (entry.Name, entry.Policy, entry.Capacity));
        // The folder in the example is the reader's own; the example stage is found without it here.
        Assert.Equal("/home/you/my-stages/MyLab.Stages/bin/Release/net10.0", settings.StageDirectory);
        StageBlueprint blueprint = new StageFactory().Resolve(entry);
        var bound = Assert.IsType<Eeg.Plugins.Examples.BandPowerSettings>(blueprint.Settings);
        Assert.Equal(2, bound.WindowSeconds);
        Assert.Equal([8.0, 12.0], bound.AlphaHz);
        Assert.Equal(StageHostOptions.Default, blueprint.Options);
    }

    [Fact]
    public void The_worked_examples_configuration_is_accepted_by_the_node_settings()
    {
        // The heredoc of step 6, with $HOME as the shell would expand it.
        string block = Regex.Match(Readme(), "cat > ~/my-stages/my.conf <<EOF\n(.*?)\nEOF", RegexOptions.Singleline).Groups[1].Value;
        Assert.Contains("MyLab.Stages.SignalQualityStage", block);
        string file = Path.Combine(Directory.CreateTempSubdirectory("eeg-readme-").FullName, "my.conf");
        File.WriteAllText(file, block.Replace("$HOME", "/home/you"));

        PipelineSettings settings = PipelineSettings.FromConfig(ConfigLoader.Load(file, null, _ => null));

        StageEntry entry = Assert.Single(settings.Stages);
        Assert.Equal(("quality", "MyLab.Stages.SignalQualityStage", SinkPolicy.DropOldest, 8), (entry.Name, entry.Type, entry.Policy, entry.Capacity));
        Assert.Equal(0.5, entry.Settings.GetDouble("window-seconds"));
        Assert.Equal("/home/you/my-stages/MyLab.Stages/bin/Release/net10.0", settings.StageDirectory);
    }
}
