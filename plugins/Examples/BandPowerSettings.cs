namespace Eeg.Plugins.Examples;

/// <summary>
/// Settings of <see cref="BandPowerStage"/>, bound from HOCON by name:
/// <c>settings { window-seconds = 2, alpha-hz = [8, 12] }</c>. Each band is [low, high) in Hz.
/// </summary>
public sealed class BandPowerSettings
{
    /// <summary>Length of the analysis window (1 s gives ~1 Hz resolution).</summary>
    public double WindowSeconds { get; set; } = 1.0;

    /// <summary>How often the band powers are recomputed and published.</summary>
    public double UpdateSeconds { get; set; } = 0.25;

    public double[] DeltaHz { get; set; } = [1, 4];
    public double[] ThetaHz { get; set; } = [4, 8];
    public double[] AlphaHz { get; set; } = [8, 13];
    public double[] BetaHz { get; set; } = [13, 30];
    public double[] GammaHz { get; set; } = [30, 45];
}
