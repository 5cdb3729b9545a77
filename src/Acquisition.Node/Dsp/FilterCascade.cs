using System.Globalization;
using Eeg.Pipeline.Configuration;

namespace Eeg.Acquisition.Dsp;

/// <summary>
/// The designed filter cascade for one <see cref="DspSettings"/> and sample rate: high-pass sections,
/// then one notch section per mains harmonic below Nyquist, then low-pass sections (the order of
/// <c>np.vstack([hp, notches, lp])</c> in the reference script). Validation lives here so that the node
/// at start-up, a run-time update and the offline command all reject the same values with the same line.
/// </summary>
public sealed class FilterCascade
{
    /// <summary>Highest Butterworth order accepted: beyond it a 24-bit signal gains nothing and the design is ill-conditioned.</summary>
    public const int MaxOrder = 16;

    /// <summary>Most notch harmonics accepted (each one is a section per channel).</summary>
    public const int MaxHarmonics = 32;

    private FilterCascade(SecondOrderSection[] sections, string description)
    {
        Sections = sections;
        Description = description;
    }

    /// <summary>The sections in the order they run, each normalised to a0 = 1.</summary>
    public IReadOnlyList<SecondOrderSection> Sections { get; }

    /// <summary>E.g. "HP 0.5 Hz (Butterworth 2), notch 50 Hz (Q 30), LP 100 Hz (Butterworth 4)"; "none" when nothing filters.</summary>
    public string Description { get; }

    /// <summary>Designs the cascade.</summary>
    /// <exception cref="ConfigException">A value is out of range; the message names its HOCON key.</exception>
    public static FilterCascade FromSettings(DspSettings dsp, int sampleRate)
    {
        ArgumentNullException.ThrowIfNull(dsp);
        if (sampleRate <= 0) throw ConfigException.Invalid("pipeline.sample-rate", sampleRate, "a positive number of samples per second");
        if (!dsp.Enabled) return new FilterCascade(Array.Empty<SecondOrderSection>(), "none (DSP off)");

        double nyquist = sampleRate / 2.0;
        string belowNyquist = $"above 0 Hz and below Nyquist ({F(nyquist)} Hz at pipeline.sample-rate = {sampleRate})";
        var sections = new List<SecondOrderSection>();
        var parts = new List<string>();

        if (dsp.HighpassEnabled)
        {
            CheckOrder("pipeline.dsp.highpass.order", dsp.HighpassOrder);
            CheckFrequency("pipeline.dsp.highpass.cutoff-hz", dsp.HighpassHz, nyquist, belowNyquist);
            if (dsp.LowpassEnabled && double.IsFinite(dsp.LowpassHz) && dsp.HighpassHz >= dsp.LowpassHz)
                throw ConfigException.Invalid("pipeline.dsp.highpass.cutoff-hz", dsp.HighpassHz,
                    $"below pipeline.dsp.lowpass.cutoff-hz ({F(dsp.LowpassHz)} Hz), or nothing passes");
            sections.AddRange(Butterworth.Design(PassBand.Highpass, dsp.HighpassOrder, dsp.HighpassHz, sampleRate));
            parts.Add($"HP {F(dsp.HighpassHz)} Hz (Butterworth {dsp.HighpassOrder})");
        }

        if (dsp.NotchEnabled)
        {
            CheckFrequency("pipeline.dsp.notch.frequency-hz", dsp.NotchHz, nyquist, belowNyquist);
            if (!(dsp.NotchQ > 0) || double.IsInfinity(dsp.NotchQ))
                throw ConfigException.Invalid("pipeline.dsp.notch.q", dsp.NotchQ, "a quality factor above 0 (30 is typical for mains)");
            if (dsp.NotchHarmonics < 1 || dsp.NotchHarmonics > MaxHarmonics)
                throw ConfigException.Invalid("pipeline.dsp.notch.harmonics", dsp.NotchHarmonics,
                    $"an integer from 1 (the mains frequency only) to {MaxHarmonics}");
            var notched = new List<string>();
            for (int k = 1; k <= dsp.NotchHarmonics; k++)
            {
                double f = k * dsp.NotchHz;
                if (f >= nyquist) break; // harmonics at or above Nyquist do not exist in the sampled signal
                sections.Add(Notch.Design(f, dsp.NotchQ, sampleRate));
                notched.Add(F(f));
            }
            parts.Add($"notch {string.Join(", ", notched)} Hz (Q {F(dsp.NotchQ)})");
        }

        if (dsp.LowpassEnabled)
        {
            CheckOrder("pipeline.dsp.lowpass.order", dsp.LowpassOrder);
            CheckFrequency("pipeline.dsp.lowpass.cutoff-hz", dsp.LowpassHz, nyquist, belowNyquist);
            sections.AddRange(Butterworth.Design(PassBand.Lowpass, dsp.LowpassOrder, dsp.LowpassHz, sampleRate));
            parts.Add($"LP {F(dsp.LowpassHz)} Hz (Butterworth {dsp.LowpassOrder})");
        }

        return new FilterCascade(sections.ToArray(), parts.Count == 0 ? "none" : string.Join(", ", parts));
    }

    private static void CheckOrder(string key, int order)
    {
        if (order < 1 || order > MaxOrder) throw ConfigException.Invalid(key, order, $"an integer from 1 to {MaxOrder}");
    }

    private static void CheckFrequency(string key, double hz, double nyquist, string allowed)
    {
        if (!(hz > 0) || hz >= nyquist) throw ConfigException.Invalid(key, hz, allowed);
    }

    private static string F(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
