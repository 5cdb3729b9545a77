using Eeg.Pipeline.Configuration;
using Eeg.Shared.Control;

namespace Eeg.Acquisition.Actors;

/// <summary>
/// Turns the operator's <see cref="ChangeFilters"/> into the DSP settings to apply. Checked with the
/// loose rules of reference.conf's pipeline.dsp block (a frequency above 0; here 0 also means off);
/// the DSP then checks the frequencies against Nyquist and the high-pass against the low-pass
/// (FilterCascade), naming the same keys.
/// </summary>
public static class FilterChange
{
    /// <exception cref="ConfigException">A value out of range: one line with the key and what is allowed.</exception>
    public static DspSettings Apply(DspSettings current, ChangeFilters change)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(change);
        DspSettings next = current;
        if (change.HighpassHz is { } hp)
        {
            Check("pipeline.dsp.highpass.cutoff-hz", hp);
            next = hp == 0 ? next with { HighpassEnabled = false } : next with { HighpassEnabled = true, HighpassHz = hp };
        }
        if (change.LowpassHz is { } lp)
        {
            Check("pipeline.dsp.lowpass.cutoff-hz", lp);
            next = lp == 0 ? next with { LowpassEnabled = false } : next with { LowpassEnabled = true, LowpassHz = lp };
        }
        if (change.NotchHz is { } notch)
        {
            Check("pipeline.dsp.notch.frequency-hz", notch);
            next = notch == 0 ? next with { NotchEnabled = false } : next with { NotchEnabled = true, NotchHz = notch };
        }
        return next;
    }

    /// <summary>The filters in effect, 0 for one that is off.</summary>
    public static FilterReport Report(DspSettings dsp, string description) => new(
        dsp.Enabled && dsp.HighpassEnabled ? dsp.HighpassHz : 0,
        dsp.Enabled && dsp.LowpassEnabled ? dsp.LowpassHz : 0,
        dsp.Enabled && dsp.NotchEnabled ? dsp.NotchHz : 0)
    {
        Description = description,
    };

    private static void Check(string key, double hz)
    {
        if (!double.IsFinite(hz) || hz < 0) throw ConfigException.Invalid(key, hz, "0 (off) or a frequency in Hz above 0 and below Nyquist");
    }
}
