using Akka.Configuration;
using Eeg.Pipeline.Configuration;
using Eeg.Processing.Stages;

namespace Eeg.Tests.Processing.Node.Stages;

public sealed class StageFactoryTests
{
    internal static StageEntry Entry(string type, string settings = "", string name = "alpha") =>
        new(name, type, SinkPolicy.DropOldest, 4, 1, ConfigurationFactory.ParseString(settings));

    private static ConfigException Fails(StageEntry entry, StageFactory? factory = null)
    {
        var e = Assert.Throws<ConfigException>(() => (factory ?? new StageFactory()).Resolve(entry));
        Assert.DoesNotContain('\n', e.Message);
        Assert.StartsWith($"stage '{entry.Name}': ", e.Message);
        return e;
    }

    [Fact]
    public void An_unknown_type_gives_one_line_naming_the_stage_and_the_type()
    {
        ConfigException e = Fails(Entry("Foo.Bar"));
        Assert.Equal("stage 'alpha': type 'Foo.Bar' not found in the host's assemblies or in pipeline.stage-directory (not set)", e.Message);
    }

    [Fact]
    public void A_type_that_is_not_a_stage_is_refused_by_name()
    {
        ConfigException e = Fails(Entry(typeof(NotAStage).FullName!));
        Assert.Equal($"stage 'alpha': type '{typeof(NotAStage).FullName}' is not a stage: it does not implement Eeg.Shared.Stages.IStage", e.Message);
    }

    [Fact]
    public void An_unknown_setting_is_refused_with_the_known_ones()
    {
        ConfigException e = Fails(Entry(typeof(KitchenSinkStage).FullName!, "windw-seconds = 2"));
        Assert.StartsWith("stage 'alpha': unknown setting 'windw-seconds' for KitchenSinkSettings (known: alpha-hz, channels, enabled, gain, label, max-samples, montage, order, window-seconds;", e.Message);
    }

    [Theory]
    [InlineData("window-seconds = abc", "stage 'alpha': settings.window-seconds = \"abc\" is not allowed: a number")]
    [InlineData("order = 2.5", "stage 'alpha': settings.order = \"2.5\" is not allowed: a whole number")]
    [InlineData("enabled = maybe", "stage 'alpha': settings.enabled = \"maybe\" is not allowed: on/off (true/false)")]
    [InlineData("montage = laplacian", "stage 'alpha': settings.montage = \"laplacian\" is not allowed: one of bipolar, common-average, linked-mastoids")]
    [InlineData("channels = Fp1", "stage 'alpha': settings.channels = \"Fp1\" is not allowed: a list of strings such as [\"Fp1\", \"Fp2\"]")]
    [InlineData("alpha-hz = [8, x]", "stage 'alpha': settings.alpha-hz = \"x\" is not allowed: a number")]
    [InlineData("window-seconds = [1, 2]", "stage 'alpha': settings.window-seconds = [1, 2] is not allowed: a number")]
    [InlineData("max-restarts = -1", "stage 'alpha': settings.max-restarts = -1 is not allowed: 0 or more")]
    [InlineData("restart-window = soon", "stage 'alpha': settings.restart-window = \"soon\" is not allowed: a duration such as 100ms, 5s or 1m")]
    public void A_setting_of_the_wrong_type_is_refused_naming_the_stage_and_the_key(string settings, string message)
    {
        Assert.Equal(message, Fails(Entry(typeof(KitchenSinkStage).FullName!, settings)).Message);
    }

    [Fact]
    public void Settings_are_bound_by_kebab_case_name_and_the_rest_keep_their_defaults()
    {
        StageBlueprint blueprint = new StageFactory().Resolve(Entry(typeof(KitchenSinkStage).FullName!, """
            window-seconds = 2.5
            gain = 0.5
            max-samples = 12345678901
            enabled = off
            label = "occipital"
            montage = common-average
            channels = [O1, Oz, O2]
            alpha-hz = [7.5, 12]
            max-restarts = 3
            restart-window = 30s
            """));

        var settings = Assert.IsType<KitchenSinkSettings>(blueprint.Settings);
        Assert.Equal(new KitchenSinkSettings
        {
            WindowSeconds = 2.5, Gain = 0.5f, Order = 4, MaxSamples = 12345678901, Enabled = false, Label = "occipital",
            Montage = Montage.CommonAverage, Channels = settings.Channels, AlphaHz = settings.AlphaHz,
        }, settings);
        Assert.Equal(["O1", "Oz", "O2"], settings.Channels);
        Assert.Equal([7.5, 12], settings.AlphaHz);
        Assert.Equal(3, blueprint.Options.MaxRestarts);
        Assert.Equal(TimeSpan.FromSeconds(30), blueprint.Options.RestartWindow);
        Assert.Equal(StageHostOptions.Default.BackoffMin, blueprint.Options.BackoffMin);
        Assert.IsType<KitchenSinkStage>(blueprint.Create());
    }

    [Fact]
    public void Settings_a_stage_constructor_rejects_are_reported_at_start_up()
    {
        ConfigException e = Fails(Entry(typeof(PickyStage).FullName!, "window-seconds = 0"));
        Assert.Equal("stage 'alpha': PickyStage rejected its settings: window-seconds must be positive (is 0)", e.Message);
    }

    [Fact]
    public void Settings_given_to_a_stage_that_takes_none_are_refused()
    {
        ConfigException e = Fails(Entry(typeof(PlainStage).FullName!, "window-seconds = 1"));
        Assert.Equal("stage 'alpha': PlainStage takes no settings, but settings { window-seconds } were given", e.Message);
    }

    [Fact]
    public void A_stage_without_settings_may_still_set_its_restart_budget()
    {
        StageBlueprint blueprint = new StageFactory().Resolve(Entry(typeof(PlainStage).FullName!, "max-restarts = 2, restart-backoff = 0ms"));
        Assert.Null(blueprint.Settings);
        Assert.Equal(2, blueprint.Options.MaxRestarts);
        Assert.Equal(TimeSpan.Zero, blueprint.Options.BackoffFor(1));
    }

    [Fact]
    public void Two_stages_with_one_name_are_refused()
    {
        var e = Assert.Throws<ConfigException>(() => new StageFactory().ResolveAll([Entry(typeof(PlainStage).FullName!), Entry(typeof(PlainStage).FullName!)]));
        Assert.Equal("stage 'alpha': the name is used twice in pipeline.stages", e.Message);
    }

    [Fact]
    public void A_stage_directory_that_does_not_exist_is_refused()
    {
        var e = Assert.Throws<ConfigException>(() => new StageFactory("/no/such/folder"));
        Assert.StartsWith("pipeline.stage-directory = \"/no/such/folder\" is not allowed: an existing folder", e.Message);
    }

    [Fact]
    public void The_back_off_doubles_per_restart_up_to_its_maximum()
    {
        var options = StageHostOptions.Default with { BackoffMin = TimeSpan.FromMilliseconds(100), BackoffMax = TimeSpan.FromSeconds(1) };
        Assert.Equal([100, 200, 400, 800, 1000, 1000], Enumerable.Range(1, 6).Select(n => options.BackoffFor(n).TotalMilliseconds));
    }
}
