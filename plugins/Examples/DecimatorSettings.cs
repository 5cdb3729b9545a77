namespace Eeg.Plugins.Examples;

/// <summary>Settings of <see cref="DecimatorStage"/>.</summary>
public sealed class DecimatorSettings
{
    /// <summary>The slower stream's rate; must divide the input rate (4000 -> 250 is a factor of 16).</summary>
    public int OutputRate { get; set; } = 250;

    /// <summary>Seconds of output per publication. 0.2 s = 5 blocks per second, under the host's ~10/s forwarding limit, so no block is lost to it.</summary>
    public double BlockSeconds { get; set; } = 0.2;

    /// <summary>The output's name.</summary>
    public string Output { get; set; } = "signal";
}
