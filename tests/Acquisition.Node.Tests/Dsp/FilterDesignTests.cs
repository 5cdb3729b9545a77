using Eeg.Acquisition.Dsp;
using Eeg.Pipeline.Configuration;
using Xunit.Abstractions;

namespace Eeg.Tests.Acquisition.Node.Dsp;

public class FilterDesignTests
{
    private readonly ITestOutputHelper _output;

    public FilterDesignTests(ITestOutputHelper output) => _output = output;

    // Relative tolerance per coefficient. Observed agreement over all sets: at most 5.4e-16 relative (2-3
    // ulps, printed per set), so this only absorbs libm differences (tan, cos, hypot) between numpy and .NET.
    private const double RelativeTolerance = 1e-10;

    public static IEnumerable<object[]> SetNames() => ReferenceVectors.SosSetNames();

    [Theory]
    [MemberData(nameof(SetNames))]
    public void Sections_equal_scipy_coefficient_for_coefficient_and_in_scipys_order(string name)
    {
        var set = ReferenceVectors.SosSets.Single(s => s.Name == name);
        double[][] ours = ReferenceVectors.Design(set);

        Assert.Equal(set.Sos.Length, ours.Length);
        double worst = 0;
        for (int row = 0; row < ours.Length; row++)
        {
            for (int col = 0; col < 6; col++)
            {
                double expected = set.Sos[row][col], actual = ours[row][col];
                if (expected != 0) worst = Math.Max(worst, Math.Abs(actual - expected) / Math.Abs(expected));
                double allowed = RelativeTolerance * Math.Abs(expected) + 1e-300;
                Assert.True(Math.Abs(actual - expected) <= allowed,
                    $"{name}: sos[{row}][{col}] = {actual:R}, scipy {expected:R} (difference {Math.Abs(actual - expected):E2})");
            }
        }
        _output.WriteLine($"{name}: worst relative difference {worst:E2}");
    }

    [Fact]
    public void The_reference_vectors_cover_every_sample_rate_and_odd_orders()
    {
        var rates = ReferenceVectors.SosSets.Select(s => s.SampleRate).Distinct().Order().ToArray();
        Assert.Equal(new[] { 250, 500, 1000, 2000, 4000, 8000, 16000 }, rates);
        Assert.Contains(ReferenceVectors.SosSets, s => s.Order % 2 == 1 && s.Kind == "lowpass");
        Assert.Contains(ReferenceVectors.SosSets, s => s.Order % 2 == 1 && s.Kind == "highpass");
    }

    [Fact]
    public void Default_cascade_is_high_pass_then_notch_then_low_pass_and_says_so()
    {
        var cascade = FilterCascade.FromSettings(DspSettings.Default, 4000);

        Assert.Equal("HP 0.5 Hz (Butterworth 2), notch 50 Hz (Q 30), LP 100 Hz (Butterworth 4)", cascade.Description);
        var expected = Butterworth.Design(PassBand.Highpass, 2, 0.5, 4000)
            .Append(Notch.Design(50, 30, 4000))
            .Concat(Butterworth.Design(PassBand.Lowpass, 4, 100, 4000));
        Assert.Equal(expected, cascade.Sections);
    }

    [Fact]
    public void Notch_harmonics_at_or_above_nyquist_are_skipped()
    {
        var settings = DspSettings.Default with { HighpassEnabled = false, LowpassEnabled = false, NotchHarmonics = 3 };

        var at250 = FilterCascade.FromSettings(settings, 250);
        var at4000 = FilterCascade.FromSettings(settings, 4000);

        Assert.Equal(new[] { Notch.Design(50, 30, 250), Notch.Design(100, 30, 250) }, at250.Sections);
        Assert.Equal("notch 50, 100 Hz (Q 30)", at250.Description);
        Assert.Equal(3, at4000.Sections.Count);
        Assert.Equal("notch 50, 100, 150 Hz (Q 30)", at4000.Description);
    }

    [Fact]
    public void Disabled_dsp_or_disabled_filters_give_no_sections()
    {
        Assert.Empty(FilterCascade.FromSettings(DspSettings.Default with { Enabled = false }, 4000).Sections);
        var none = FilterCascade.FromSettings(DspSettings.Default with { HighpassEnabled = false, NotchEnabled = false, LowpassEnabled = false }, 4000);
        Assert.Empty(none.Sections);
        Assert.Equal("none", none.Description);
    }

    public static IEnumerable<object[]> BadSettings()
    {
        var d = DspSettings.Default;
        yield return new object[] { d with { LowpassHz = 2000 }, 4000, "pipeline.dsp.lowpass.cutoff-hz = 2000 is not allowed: above 0 Hz and below Nyquist (2000 Hz at pipeline.sample-rate = 4000)" };
        yield return new object[] { d with { LowpassHz = 130 }, 250, "pipeline.dsp.lowpass.cutoff-hz = 130 is not allowed: above 0 Hz and below Nyquist (125 Hz at pipeline.sample-rate = 250)" };
        yield return new object[] { d with { LowpassOrder = 0 }, 4000, "pipeline.dsp.lowpass.order = 0 is not allowed: an integer from 1 to 16" };
        yield return new object[] { d with { HighpassOrder = -2 }, 4000, "pipeline.dsp.highpass.order = -2 is not allowed: an integer from 1 to 16" };
        yield return new object[] { d with { HighpassHz = 0 }, 4000, "pipeline.dsp.highpass.cutoff-hz = 0 is not allowed: above 0 Hz and below Nyquist (2000 Hz at pipeline.sample-rate = 4000)" };
        yield return new object[] { d with { HighpassHz = double.NaN }, 4000, "pipeline.dsp.highpass.cutoff-hz = NaN is not allowed: above 0 Hz and below Nyquist (2000 Hz at pipeline.sample-rate = 4000)" };
        yield return new object[] { d with { HighpassHz = 150 }, 4000, "pipeline.dsp.highpass.cutoff-hz = 150 is not allowed: below pipeline.dsp.lowpass.cutoff-hz (100 Hz), or nothing passes" };
        yield return new object[] { d with { NotchQ = 0 }, 4000, "pipeline.dsp.notch.q = 0 is not allowed: a quality factor above 0 (30 is typical for mains)" };
        yield return new object[] { d with { NotchQ = -30 }, 4000, "pipeline.dsp.notch.q = -30 is not allowed: a quality factor above 0 (30 is typical for mains)" };
        yield return new object[] { d with { NotchHz = 125 }, 250, "pipeline.dsp.notch.frequency-hz = 125 is not allowed: above 0 Hz and below Nyquist (125 Hz at pipeline.sample-rate = 250)" };
        yield return new object[] { d with { NotchHarmonics = 0 }, 4000, "pipeline.dsp.notch.harmonics = 0 is not allowed: an integer from 1 (the mains frequency only) to 32" };
    }

    [Theory]
    [MemberData(nameof(BadSettings))]
    public void An_invalid_filter_setting_is_one_line_naming_its_key(DspSettings settings, int sampleRate, string message)
    {
        var e = Assert.Throws<ConfigException>(() => FilterCascade.FromSettings(settings, sampleRate));
        Assert.Equal(message, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void A_disabled_filter_is_not_validated()
    {
        var settings = DspSettings.Default with { LowpassEnabled = false, LowpassHz = 99999, LowpassOrder = 0 };
        Assert.Equal("HP 0.5 Hz (Butterworth 2), notch 50 Hz (Q 30)", FilterCascade.FromSettings(settings, 4000).Description);
    }
}
