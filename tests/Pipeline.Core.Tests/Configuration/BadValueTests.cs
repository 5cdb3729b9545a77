using Eeg.Pipeline.Configuration;
using static Eeg.Tests.Pipeline.Core.Configuration.ConfigTestKit;

namespace Eeg.Tests.Pipeline.Core.Configuration;

/// <summary>Each bad value the acquisition issue lists, and its one line.</summary>
public sealed class BadValueTests
{
    [Fact]
    public void An_unknown_source_names_the_key_the_value_and_the_three_sources()
    {
        Assert.Equal("pipeline.source = \"usb\" is not allowed: simulated | ads1299 | replay",
            ErrorOf("pipeline.source = usb"));
    }

    [Fact]
    public void Twelve_channels_are_refused_as_not_a_multiple_of_eight()
    {
        Assert.Equal("pipeline.channels = 12 is not allowed: a multiple of 8 from 8 to 32",
            ErrorOf("pipeline.channels = 12"));
    }

    [Fact]
    public void Three_thousand_samples_per_second_is_not_an_ads1299_data_rate()
    {
        Assert.Equal("pipeline.sample-rate = 3000 is not allowed: one of 250, 500, 1000, 2000, 4000, 8000, 16000",
            ErrorOf("pipeline.sample-rate = 3000"));
    }

    [Fact]
    public void A_ring_of_1000_slots_is_refused_as_not_a_power_of_two()
    {
        Assert.Equal("pipeline.ring-size = 1000 is not allowed: 0 (automatic: one second of frames) or a power of two from 4 to 1048576",
            ErrorOf("pipeline.ring-size = 1000"));
    }

    [Fact]
    public void An_unknown_sink_policy_lists_the_four_policies()
    {
        Assert.Equal("pipeline.sinks.scope.policy = \"drop-some\" is not allowed: drop-oldest | drop-newest | decimate | lossless",
            ErrorOf("pipeline.sinks.scope.policy = drop-some"));
    }

    [Fact]
    public void A_config_file_that_is_not_hocon_names_the_file_line_and_column()
    {
        string file = TempFile("pipeline { channels = [ }");
        try
        {
            var error = Assert.Throws<ConfigException>(() => Load(file));
            Assert.Equal($"config file {file} is not valid HOCON: line 1, column 25: expected a list element or ']' in \"channels\", found '}}'",
                error.Message);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void A_config_file_of_prose_is_not_taken_for_a_key_with_no_value()
    {
        // Akka's parser alone accepts this text as a key with an unknown value.
        string file = TempFile("# lab settings\nthis is not hocon at all }}}\n");
        try
        {
            var error = Assert.Throws<ConfigException>(() => Load(file));
            Assert.Equal($"config file {file} is not valid HOCON: line 2, column 6: expected '=', ':' or '{{' after the key \"this\", found 'i'",
                error.Message);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void A_missing_config_file_is_named()
    {
        string file = Path.Combine(Path.GetTempPath(), $"eeg-missing-{Guid.NewGuid():N}.conf");
        var error = Assert.Throws<ConfigException>(() => Load(file));
        Assert.Equal($"config file {file} not found", error.Message);
    }

    [Fact]
    public void Text_where_a_number_goes_is_named_with_its_value()
    {
        Assert.Equal("pipeline.channels = \"sixteen\" is not allowed: a multiple of 8 from 8 to 32",
            ErrorOf("pipeline.channels = sixteen"));
    }

    [Fact]
    public void A_list_where_a_number_goes_is_shown_as_a_list()
    {
        Assert.Equal("pipeline.ring-size = [1024, 2048] is not allowed: 0 (automatic: one second of frames) or a power of two from 4 to 1048576",
            ErrorOf("pipeline.ring-size = [1024, 2048]"));
    }

    [Fact]
    public void An_object_where_a_word_goes_is_shown_as_an_object()
    {
        Assert.Equal("pipeline.wait-strategy = { ... } is not allowed: busy-spin | yielding | blocking",
            ErrorOf("pipeline.wait-strategy { kind = spin }"));
    }

    [Fact]
    public void A_misspelt_key_is_refused_with_the_nearest_known_key()
    {
        Assert.Equal("pipeline.chanels is not a known key (hocon/reference.conf lists them all); did you mean pipeline.channels?",
            ErrorOf("pipeline.chanels = 16"));
    }

    [Fact]
    public void A_misspelt_key_of_a_sink_is_refused()
    {
        Assert.Equal("pipeline.sinks.scope.capacty is not a known key (hocon/reference.conf lists them all); did you mean pipeline.sinks.scope.capacity?",
            ErrorOf("pipeline.sinks.scope.capacty = 8"));
    }

    [Theory]
    [InlineData("pipeline.frame-samples = 0", "pipeline.frame-samples = 0 is not allowed: an integer from 1 to 4000 and at most pipeline.sample-rate (4000)")]
    [InlineData("pipeline.sample-rate = 250\npipeline.frame-samples = 500", "pipeline.frame-samples = 500 is not allowed: an integer from 1 to 4000 and at most pipeline.sample-rate (250)")]
    [InlineData("pipeline.wait-strategy = sleeping", "pipeline.wait-strategy = \"sleeping\" is not allowed: busy-spin | yielding | blocking")]
    [InlineData("pipeline.slab-count = -1", "pipeline.slab-count = -1 is not allowed: 0 (automatic) or from 1 to 4194304")]
    [InlineData("pipeline.gain = 3", "pipeline.gain = 3 is not allowed: one of 1, 2, 4, 6, 8, 12, 24")]
    [InlineData("pipeline.reference-volts = 0", "pipeline.reference-volts = 0 is not allowed: a voltage above 0 and at most 5")]
    [InlineData("pipeline.reference-volts = \"4,5\"", "pipeline.reference-volts = \"4,5\" is not allowed: a voltage above 0 and at most 5")]
    [InlineData("pipeline.channels = 8\npipeline.channel-names = [a, b]", "pipeline.channel-names = [\"a\", \"b\"] is not allowed: exactly 8 distinct non-empty names (one per channel), or [] for the default 10-20 names")]
    [InlineData("pipeline.status-interval = 5 fortnights", "pipeline.status-interval = \"5 fortnights\" is not allowed: a duration from 100ms to 1h")]
    [InlineData("pipeline.status-interval = 0s", "pipeline.status-interval = \"0s\" is not allowed: a duration from 100ms to 1h")]
    [InlineData("pipeline.simulated.signal = sine", "pipeline.simulated.signal = \"sine\" is not allowed: eeg | pattern")]
    [InlineData("pipeline.simulated.free-running = maybe", "pipeline.simulated.free-running = \"maybe\" is not allowed: on or off (also true/false, yes/no)")]
    [InlineData("pipeline.simulated.mains-hz = 55", "pipeline.simulated.mains-hz = 55 is not allowed: 50 or 60")]
    [InlineData("pipeline.replay.speed = slow", "pipeline.replay.speed = \"slow\" is not allowed: realtime | fast")]
    [InlineData("pipeline.dsp.highpass.order = 9", "pipeline.dsp.highpass.order = 9 is not allowed: an integer from 1 to 8")]
    [InlineData("pipeline.dsp.lowpass.cutoff-hz = -1", "pipeline.dsp.lowpass.cutoff-hz = -1 is not allowed: a frequency in Hz above 0 (the DSP checks it against Nyquist)")]
    [InlineData("pipeline.dsp.notch.q = 0", "pipeline.dsp.notch.q = 0 is not allowed: a number above 0")]
    [InlineData("pipeline.dsp.notch.harmonics = 6", "pipeline.dsp.notch.harmonics = 6 is not allowed: an integer from 1 to 5")]
    [InlineData("pipeline.sinks.scope.capacity = 0", "pipeline.sinks.scope.capacity = 0 is not allowed: an integer from 1 to 1024 (frames)")]
    [InlineData("pipeline.sinks.recorder.lossless-timeout = 0s", "pipeline.sinks.recorder.lossless-timeout = \"0s\" is not allowed: a duration above 0 and at most 1h")]
    [InlineData("pipeline.sinks.scope.decimate-factor = 1", "pipeline.sinks.scope.decimate-factor = 1 is not allowed: an integer from 2 to 1000")]
    [InlineData("pipeline.sinks.web = 4", "pipeline.sinks.web = 4 is not allowed: an object { policy = ..., capacity = ... }")]
    [InlineData("pipeline.sinks.\"my sink\" { capacity = 2 }", "pipeline.sinks.my sink = \"my sink\" is not allowed: letters, digits, '-' and '_', starting with a letter or digit")]
    public void Every_other_bad_value_names_its_key_its_value_and_what_is_allowed(string hocon, string expected)
    {
        Assert.Equal(expected, ErrorOf(hocon));
    }

    [Fact]
    public void Replay_without_an_existing_file_is_refused()
    {
        Assert.Equal("pipeline.replay.file = \"\" is not allowed: an existing BDF or EDF file when pipeline.source = replay",
            ErrorOf("pipeline.source = replay"));
    }

    [Fact]
    public void A_slab_pool_above_one_gigabyte_is_refused_before_it_is_allocated()
    {
        Assert.Equal(
            "pipeline.slab-count = 0 is not allowed: 1110 slabs of 32 channels x 4000 samples need 1117 MB, more than 1024 MB; "
            + "lower pipeline.ring-size, pipeline.frame-samples or pipeline.slab-count",
            ErrorOf("pipeline.frame-samples = 4000\npipeline.ring-size = 1024"));
    }

    [Fact]
    public void Every_error_is_one_line()
    {
        string[] bad = { "pipeline.channels = 12", "pipeline.stages = [ { type = X } ]", "pipeline.chanels = 1", "pipeline.source = \"a\\nb\"" };
        foreach (string hocon in bad)
        {
            string message = ErrorOf(hocon);
            Assert.DoesNotContain('\n', message);
            Assert.DoesNotContain('\r', message);
        }
    }
}
