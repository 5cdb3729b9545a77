using Akka.Configuration;
using Eeg.Pipeline.Configuration;
using Eeg.Shared.Frames;
using static Eeg.Tests.Pipeline.Core.Configuration.ConfigTestKit;

namespace Eeg.Tests.Pipeline.Core.Configuration;

public sealed class PipelineSettingsTests
{
    [Fact]
    public void The_defaults_are_the_values_written_in_reference_conf()
    {
        PipelineSettings s = PipelineSettings.FromConfig(Load());

        Assert.Equal(SourceKind.Simulated, s.Source);
        Assert.Equal(32, s.Channels);
        Assert.Equal(4000, s.SampleRate);
        Assert.Equal(1, s.FrameSamples);
        Assert.Equal(4096, s.RingSize); // automatic: one second of 1-sample frames at 4 kSPS
        Assert.Equal(WaitStrategyKind.Blocking, s.WaitStrategy);
        Assert.True(s.SlabCountIsAutomatic);
        Assert.Equal(24, s.Gain);
        Assert.Equal(4.5, s.ReferenceVolts);
        Assert.Equal(StreamDescription.DefaultChannelNames(32), s.ChannelNames);
        Assert.Equal(TimeSpan.FromSeconds(5), s.StatusInterval);
        Assert.Equal(new SimulatedSettings(SimulatedSignal.Eeg, false, 50, 1), s.Simulated);
        Assert.Equal(new ReplaySettings("", true), s.Replay);
        Assert.Equal(DspSettings.Default, s.Dsp);
        Assert.Equal(
            new[]
            {
                new SinkSettings("scope", SinkPolicy.DropOldest, 4, TimeSpan.FromSeconds(5), 4),
                new SinkSettings("recorder", SinkPolicy.Lossless, 64, TimeSpan.FromSeconds(5), 4),
            },
            s.Sinks);
        Assert.Empty(s.Stages);
        Assert.Equal("", s.StageDirectory);
        Assert.Equal(2.0 * 4.5 / 24 / (1 << 24) * 1e6, s.MicrovoltsPerCount);
    }

    [Fact]
    public void Default_is_reference_conf_read_on_its_own()
    {
        Assert.Equal(PipelineSettings.FromConfig(Load()).Describe(), PipelineSettings.Default.Describe());
    }

    [Fact]
    public void The_automatic_slab_count_covers_the_ring_every_queue_the_frame_in_each_sinks_hands_and_headroom()
    {
        // ring 4096 (automatic) + scope (4 + 1) + recorder (64 + 1) + 16
        Assert.Equal(4182, PipelineSettings.Default.SlabCount);

        PipelineSettings withStages = Settings("""
            pipeline.ring-size = 256
            pipeline.stages = [
              { name = alpha, type = "X.Alpha", capacity = 8 }
              { name = beta, type = "X.Beta" }
            ]
            """);
        // 256 + scope 5 + recorder 65 + alpha 9 + beta (default 4) 5 + 16
        Assert.Equal(256 + 5 + 65 + 9 + 5 + 16, withStages.SlabCount);
        Assert.True(withStages.SlabCountIsAutomatic);
    }

    [Fact]
    public void An_explicit_slab_count_is_kept()
    {
        PipelineSettings s = Settings("pipeline { ring-size = 64, slab-count = 66 }");
        Assert.Equal(66, s.SlabCount);
        Assert.False(s.SlabCountIsAutomatic);

        // Smaller than the ring is allowed: tests starve the pool this way to provoke overruns.
        Assert.Equal(4, Settings("pipeline { ring-size = 8, slab-count = 4 }").SlabCount);
    }

    [Fact]
    public void The_stage_list_keeps_each_stages_settings_block_as_config()
    {
        PipelineSettings s = Settings("""
            pipeline.stages = [
              { name = alpha, type = "Eeg.Plugins.Examples.BandPowerStage", policy = decimate, capacity = 2, decimate-factor = 8,
                settings { window-seconds = 1, bands = [8, 12], nested { x = "y" } } }
              { name = spikes, type = Lab.SpikeDetector }
            ]
            """);

        Assert.Equal(2, s.Stages.Count);
        StageEntry alpha = s.Stages[0];
        Assert.Equal(("alpha", "Eeg.Plugins.Examples.BandPowerStage", SinkPolicy.Decimate, 2, 8),
            (alpha.Name, alpha.Type, alpha.Policy, alpha.Capacity, alpha.DecimateFactor));
        Assert.Equal(1, alpha.Settings.GetInt("window-seconds"));
        Assert.Equal(new[] { 8, 12 }, alpha.Settings.GetIntList("bands"));
        Assert.Equal("y", alpha.Settings.GetString("nested.x"));

        StageEntry spikes = s.Stages[1];
        Assert.Equal(("spikes", "Lab.SpikeDetector", SinkPolicy.DropOldest, 4, 4),
            (spikes.Name, spikes.Type, spikes.Policy, spikes.Capacity, spikes.DecimateFactor));
        Assert.True(spikes.Settings.IsEmpty);
    }

    [Theory]
    [InlineData("pipeline.stages = [ { type = X } ]", "pipeline.stages[0].name = (missing) is not allowed: letters, digits, '-' and '_', starting with a letter or digit, unique among sinks and stages")]
    [InlineData("pipeline.stages = [ { name = a } ]", "pipeline.stages[0].type = (missing) is not allowed: a full class name, e.g. \"Eeg.Plugins.Examples.BandPowerStage\"")]
    [InlineData("pipeline.stages = [ { name = a, type = \"\" } ]", "pipeline.stages[0].type = \"\" is not allowed: a full class name, e.g. \"Eeg.Plugins.Examples.BandPowerStage\"")]
    [InlineData("pipeline.stages = [ { name = a, type = X }, { name = a, type = Y } ]", "pipeline.stages[1].name = \"a\" is not allowed: a name not yet used by another sink or stage")]
    [InlineData("pipeline.stages = [ { name = scope, type = X } ]", "pipeline.stages[0].name = \"scope\" is not allowed: a name not yet used by another sink or stage")]
    [InlineData("pipeline.stages = [ { name = a, type = X, policy = keep-all } ]", "pipeline.stages[0].policy = \"keep-all\" is not allowed: drop-oldest | drop-newest | decimate | lossless")]
    [InlineData("pipeline.stages = [ { name = a, type = X, capacity = 2000 } ]", "pipeline.stages[0].capacity = 2000 is not allowed: an integer from 1 to 1024 (frames; 2 to 8 suits most stages)")]
    [InlineData("pipeline.stages = [ { name = a, type = X, window = 1 } ]", "pipeline.stages[0].window is not a known key (hocon/reference.conf lists them all)")]
    [InlineData("pipeline.stages = [ { name = a, type = X, settings = 3 } ]", "pipeline.stages[0].settings = 3 is not allowed: an object { ... } of the stage's own settings")]
    [InlineData("pipeline.stages = [ alpha ]", "pipeline.stages[0] = \"alpha\" is not allowed: an object { name = ..., type = ..., ... }")]
    [InlineData("pipeline.stages { alpha { type = X } }", "pipeline.stages = { ... } is not allowed: a list of objects { name = ..., type = ..., policy = ..., capacity = ..., settings { ... } }")]
    public void A_bad_stage_entry_names_its_index_and_key(string hocon, string expected)
    {
        Assert.Equal(expected, ErrorOf(hocon));
    }

    [Fact]
    public void A_new_sink_takes_the_documented_defaults()
    {
        PipelineSettings s = Settings("pipeline.sinks.csv { policy = lossless, lossless-timeout = 2s }\npipeline.sinks.web { policy = decimate, decimate-factor = 10 }");
        Assert.Equal(new SinkSettings("csv", SinkPolicy.Lossless, 4, TimeSpan.FromSeconds(2), 4), s.Sink("csv"));
        Assert.Equal(new SinkSettings("web", SinkPolicy.Decimate, 4, TimeSpan.FromSeconds(5), 10), s.Sink("web"));
        Assert.Equal(new[] { "scope", "recorder", "csv", "web" }, s.Sinks.Select(k => k.Name));
    }

    [Fact]
    public void Channel_names_given_one_per_channel_are_kept_in_order()
    {
        string[] names = Enumerable.Range(1, 8).Select(i => $"E{i}").ToArray();
        PipelineSettings s = Settings($"pipeline.channels = 8\npipeline.channel-names = [{string.Join(", ", names)}]");
        Assert.Equal(names, s.ChannelNames);
    }

    [Fact]
    public void Switches_and_durations_take_every_hocon_spelling()
    {
        PipelineSettings s = Settings("""
            pipeline.simulated.free-running = yes
            pipeline.dsp.enabled = false
            pipeline.status-interval = 250 ms
            pipeline.sinks.recorder.lossless-timeout = 1500
            """);
        Assert.True(s.Simulated.FreeRunning);
        Assert.False(s.Dsp.Enabled);
        Assert.Equal(TimeSpan.FromMilliseconds(250), s.StatusInterval);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), s.Sink("recorder")!.LosslessTimeout);
    }

    [Fact]
    public void Replay_with_an_existing_file_is_accepted()
    {
        string file = TempFile("not really a bdf; only its existence is checked here");
        try
        {
            PipelineSettings s = Settings($"pipeline.source = replay\npipeline.replay {{ file = {ConfigLoaderQuote(file)}, speed = fast }}");
            Assert.Equal(SourceKind.Replay, s.Source);
            Assert.Equal(new ReplaySettings(file, false), s.Replay);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Describe_gives_one_line_with_the_essentials()
    {
        Assert.Equal(
            "simulated (eeg), 32 channels at 4000 SPS, 1-sample frames, ring 4096 (blocking), 4182 slabs (1079 kB), gain 24, "
            + "DSP: HP 0.5 Hz (Butterworth 2), notch 50 Hz (Q 30), LP 100 Hz (Butterworth 4), "
            + "sinks: scope drop-oldest x4, recorder lossless x64, stages: none",
            PipelineSettings.Default.Describe());
    }

    [Fact]
    public void From_config_without_the_reference_layer_still_gets_the_defaults()
    {
        PipelineSettings s = PipelineSettings.FromConfig(ConfigurationFactory.ParseString("pipeline.channels = 16"));
        Assert.Equal(16, s.Channels);
        Assert.Equal(4000, s.SampleRate);
    }

    private static string ConfigLoaderQuote(string value) => "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
