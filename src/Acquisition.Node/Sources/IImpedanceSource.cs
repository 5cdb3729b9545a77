namespace Eeg.Acquisition.Sources;

/// <summary>A source that can measure its electrodes' impedance (the ADS1299's AC lead-off excitation).</summary>
public interface IImpedanceSource
{
    /// <summary>True while the excitation runs and impedances are measured.</summary>
    bool ImpedanceCheck { get; }

    /// <summary>Turns the check on or off; takes effect between two samples on the reader thread. Any thread.</summary>
    void SetImpedanceCheck(bool on);

    /// <summary>The latest impedances in kOhm, one per channel; null while the check is off or before its first measurement.</summary>
    IReadOnlyList<double>? ImpedanceKOhm();
}
