namespace Eeg.Plugins.Examples;

/// <summary>Settings of <see cref="CommonAverageReferenceStage"/>.</summary>
public sealed class CommonAverageReferenceSettings
{
    /// <summary>Channels left out of the average (EOG, ECG, a broken electrode), by name. They are still re-referenced.</summary>
    public string[] ExcludeChannels { get; set; } = [];

    /// <summary>How often the RMS values are published; each value covers the samples since the last one.</summary>
    public double UpdateSeconds { get; set; } = 0.25;
}
