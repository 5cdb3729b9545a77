namespace Eeg.Plugins.Examples;

/// <summary>Settings of <see cref="BlinkDetectorStage"/>. Defaults suit high-passed (0.5 Hz) scalp EEG.</summary>
public sealed class BlinkDetectorSettings
{
    /// <summary>The frontal channels averaged for detection, by name.</summary>
    public string[] Channels { get; set; } = ["Fp1", "Fp2"];

    /// <summary>Time constant of the baseline the deflection is measured from (an exponential average, frozen during a blink), so a drift or offset does not add to the deflection.</summary>
    public double BaselineSeconds { get; set; } = 0.3;

    /// <summary>The averaged frontal signal must rise this far above its baseline (blinks: 100-400 uV; alpha rarely passes 50).</summary>
    public double ThresholdMicrovolts { get; set; } = 100;

    /// <summary>...and be rising at least this fast when it crosses the threshold (measured over <see cref="SlopeWindowSeconds"/>).</summary>
    public double MinSlopeMicrovoltsPerSecond { get; set; } = 800;

    /// <summary>The interval the slope is measured over.</summary>
    public double SlopeWindowSeconds { get; set; } = 0.05;

    /// <summary>Shortest time above threshold that counts as a blink (rejects spikes and artefacts).</summary>
    public double MinDurationSeconds { get; set; } = 0.05;

    /// <summary>Longest time above threshold that counts as a blink (rejects saturation, movement).</summary>
    public double MaxDurationSeconds { get; set; } = 0.6;

    /// <summary>Shortest time between two blinks' peaks.</summary>
    public double RefractorySeconds { get; set; } = 0.2;
}
