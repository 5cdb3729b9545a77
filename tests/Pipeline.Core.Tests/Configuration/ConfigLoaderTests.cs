using Akka.Configuration;
using Eeg.Pipeline.Configuration;
using static Eeg.Tests.Pipeline.Core.Configuration.ConfigTestKit;

namespace Eeg.Tests.Pipeline.Core.Configuration;

public sealed class ConfigLoaderTests
{
    [Fact]
    public void The_embedded_reference_is_the_repository_file_not_a_copy()
    {
        string onDisk = File.ReadAllText(RepositoryReferenceConf());
        Assert.Equal(onDisk, ConfigLoader.ReferenceText);
    }

    [Fact]
    public void Loading_with_no_file_and_no_environment_gives_the_reference_values()
    {
        Config loaded = Load();
        foreach (string key in new[] { "pipeline.source", "pipeline.channels", "pipeline.sample-rate", "pipeline.wait-strategy", "pipeline.sinks.recorder.policy" })
        {
            Assert.Equal(ConfigLoader.Reference.GetString(key), loaded.GetString(key));
        }
        Assert.Equal("simulated", loaded.GetString("pipeline.source"));
        Assert.Equal("32", loaded.GetString("pipeline.channels"));
    }

    [Fact]
    public void A_config_file_overrides_only_the_keys_it_names()
    {
        string file = TempFile("""
            # a lab file that changes two keys and one key of one sink
            pipeline {
              channels = 16
              dsp.notch.frequency-hz = 60
              sinks.scope.capacity = 8
            }
            """);
        try
        {
            PipelineSettings settings = PipelineSettings.FromConfig(Load(file));
            Assert.Equal(16, settings.Channels);
            Assert.Equal(60, settings.Dsp.NotchHz);
            Assert.Equal(new SinkSettings("scope", SinkPolicy.DropOldest, 8, TimeSpan.FromSeconds(5), 4), settings.Sink("scope"));
            // Untouched keys keep reference.conf's values, including the sibling sink and the rest of its block.
            Assert.Equal(4000, settings.SampleRate);
            Assert.Equal(30, settings.Dsp.NotchQ);
            Assert.Equal(new SinkSettings("recorder", SinkPolicy.Lossless, 64, TimeSpan.FromSeconds(5), 4), settings.Sink("recorder"));
            Assert.Equal(StreamDescriptionNames(16), settings.ChannelNames);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Command_line_text_wins_over_the_environment_which_wins_over_the_file()
    {
        string file = TempFile("pipeline { channels = 8, sample-rate = 250, ring-size = 64 }");
        try
        {
            var environment = new Dictionary<string, string> { ["EEG_CHANNELS"] = "16", ["EEG_SAMPLE_RATE"] = "500" };
            PipelineSettings settings = PipelineSettings.FromConfig(Load(file, "pipeline.sample-rate = 1000", environment));
            Assert.Equal(16, settings.Channels);     // environment over file
            Assert.Equal(1000, settings.SampleRate); // command line over environment
            Assert.Equal(64, settings.RingSize);     // file over reference
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Every_variable_of_the_table_sets_its_key()
    {
        var values = new Dictionary<string, string>
        {
            ["EEG_SOURCE"] = "ads1299", ["EEG_CHANNELS"] = "24", ["EEG_SAMPLE_RATE"] = "2000", ["EEG_FRAME_SAMPLES"] = "10",
            ["EEG_WAIT_STRATEGY"] = "yielding", ["EEG_SIGNAL"] = "pattern", ["EEG_FREE_RUNNING"] = "on",
            ["EEG_REPLAY_FILE"] = "some.bdf", ["EEG_STAGE_DIRECTORY"] = "/opt/stages",
        };
        Assert.Equal(values.Keys.Order(), ConfigLoader.EnvironmentOverrides.Where(o => o.Key.StartsWith("pipeline.")).Select(o => o.Variable).Order());

        PipelineSettings settings = PipelineSettings.FromConfig(Load(environment: values));

        Assert.Equal(SourceKind.Ads1299, settings.Source);
        Assert.Equal(24, settings.Channels);
        Assert.Equal(2000, settings.SampleRate);
        Assert.Equal(10, settings.FrameSamples);
        Assert.Equal(WaitStrategyKind.Yielding, settings.WaitStrategy);
        Assert.Equal(new SimulatedSettings(SimulatedSignal.Pattern, true, 50, 1), settings.Simulated);
        Assert.Equal("some.bdf", settings.Replay.File);
        Assert.Equal("/opt/stages", settings.StageDirectory);
    }

    [Fact]
    public void A_bad_environment_value_is_reported_like_a_bad_file_value()
    {
        var environment = new Dictionary<string, string> { ["EEG_CHANNELS"] = "12" };
        var error = Assert.Throws<ConfigException>(() => PipelineSettings.FromConfig(Load(environment: environment)));
        Assert.Equal("pipeline.channels = 12 is not allowed: a multiple of 8 from 8 to 32", error.Message);
    }

    [Fact]
    public void An_environment_value_cannot_inject_hocon()
    {
        var environment = new Dictionary<string, string> { ["EEG_SOURCE"] = "simulated\npipeline.channels = 8" };
        var error = Assert.Throws<ConfigException>(() => PipelineSettings.FromConfig(Load(environment: environment)));
        Assert.Equal("pipeline.source = \"simulated\\npipeline.channels = 8\" is not allowed: simulated | ads1299 | replay", error.Message);
    }

    [Fact]
    public void Config_overrides_variable_sets_any_key_and_the_named_variables_win_over_it()
    {
        var environment = new Dictionary<string, string>
        {
            ["EEG_CONFIG_OVERRIDES"] = "pipeline { dsp.notch.frequency-hz = 60, channels = 8 }",
            ["EEG_CHANNELS"] = "16",
        };
        PipelineSettings settings = PipelineSettings.FromConfig(Load(environment: environment));
        Assert.Equal(60, settings.Dsp.NotchHz);
        Assert.Equal(16, settings.Channels);
    }

    [Fact]
    public void Config_overrides_variable_that_is_not_hocon_is_named()
    {
        var environment = new Dictionary<string, string> { ["EEG_CONFIG_OVERRIDES"] = "pipeline.channels = " };
        var error = Assert.Throws<ConfigException>(() => Load(environment: environment));
        Assert.Equal("the environment variable EEG_CONFIG_OVERRIDES is not valid HOCON: line 1, column 21: expected a value for \"pipeline.channels\", found the end of the file",
            error.Message);
    }

    [Fact]
    public void The_config_file_variable_is_used_when_no_file_is_passed()
    {
        string fromVariable = TempFile("pipeline.channels = 8");
        string passed = TempFile("pipeline.sample-rate = 500");
        try
        {
            var environment = new Dictionary<string, string> { ["EEG_CONFIG"] = fromVariable };
            Assert.Equal(8, PipelineSettings.FromConfig(Load(environment: environment)).Channels);
            PipelineSettings withFile = PipelineSettings.FromConfig(Load(passed, environment: environment));
            Assert.Equal(32, withFile.Channels);
            Assert.Equal(500, withFile.SampleRate);
        }
        finally
        {
            File.Delete(fromVariable);
            File.Delete(passed);
        }
    }

    [Fact]
    public void Akka_hocon_parser_does_not_read_the_environment_which_is_why_the_loader_does()
    {
        // Characterizes Akka.NET 1.5.74: ${?VAR} yields no value (empty or null) even when VAR is set, and
        // the default before it is lost. If this starts failing, Akka's parser has changed and
        // HoconSyntax need not resolve key = ${?VAR} any more.
        string variable = $"EEG_TEST_{Guid.NewGuid():N}";
        Environment.SetEnvironmentVariable(variable, "16");
        try
        {
            Config parsed = ConfigurationFactory.ParseString($"channels = 32\nchannels = ${{?{variable}}}");
            Assert.True(string.IsNullOrEmpty(parsed.GetString("channels")), $"Akka read \"{parsed.GetString("channels")}\"");
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public void A_file_may_take_a_whole_value_from_the_environment_as_hocon_says()
    {
        string file = TempFile("pipeline {\n  channels = 16\n  channels = ${?LAB_CHANNELS}\n  sample-rate = 500\n  sample-rate = ${?LAB_RATE}\n}");
        try
        {
            var environment = new Dictionary<string, string> { ["LAB_CHANNELS"] = "24" };
            PipelineSettings settings = PipelineSettings.FromConfig(Load(file, environment: environment));
            Assert.Equal(24, settings.Channels);    // set: the variable's value
            Assert.Equal(500, settings.SampleRate); // not set: the line before stands
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void An_environment_substitution_inside_a_list_is_refused_with_the_form_that_works()
    {
        string file = TempFile("pipeline {\n  channel-names = [Fp1, ${?SECOND}]\n}");
        try
        {
            var error = Assert.Throws<ConfigException>(() => Load(file));
            Assert.Equal($"config file {file} is not valid HOCON: line 2, column 25: ${{?VAR}} is supported only as a whole value: key = ${{?VAR}}",
                error.Message);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void The_variable_table_is_every_whole_value_substitution_of_reference_conf()
    {
        Assert.Contains(new EnvironmentOverride("EEG_CHANNELS", "pipeline.channels"), ConfigLoader.EnvironmentOverrides);
        Assert.Contains(new EnvironmentOverride("EEG_FREE_RUNNING", "pipeline.simulated.free-running"), ConfigLoader.EnvironmentOverrides);
        int lines = ConfigLoader.ReferenceText.Split('\n').Count(l => !l.TrimStart().StartsWith('#') && l.Contains("= ${?", StringComparison.Ordinal));
        Assert.Equal(lines, ConfigLoader.EnvironmentOverrides.Count);
    }

    private static IReadOnlyList<string> StreamDescriptionNames(int count) => Eeg.Shared.Frames.StreamDescription.DefaultChannelNames(count);
}

/// <summary>The one test that sets a real process variable, to prove Load() reads the process environment.</summary>
[Collection(ProcessEnvironmentCollection.Name)]
public sealed class ProcessEnvironmentTests
{
    [Fact]
    public void An_eeg_variable_in_the_process_environment_overrides_the_default_and_is_restored_after()
    {
        string? before = Environment.GetEnvironmentVariable("EEG_CHANNELS");
        Environment.SetEnvironmentVariable("EEG_CHANNELS", "8");
        try
        {
            Assert.Equal(8, PipelineSettings.FromConfig(ConfigLoader.Load()).Channels);
        }
        finally
        {
            Environment.SetEnvironmentVariable("EEG_CHANNELS", before);
        }
        Assert.Equal(before, Environment.GetEnvironmentVariable("EEG_CHANNELS"));
    }
}
