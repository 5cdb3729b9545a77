namespace Eeg.Pipeline.Configuration;

/// <summary>
/// One environment variable that sets one configuration key, e.g. EEG_CHANNELS sets
/// pipeline.channels. The value is taken as a string; the settings parse it like any other.
/// </summary>
/// <param name="Variable">The environment variable, e.g. "EEG_CHANNELS".</param>
/// <param name="Key">The full HOCON path it sets, e.g. "pipeline.channels".</param>
public sealed record EnvironmentOverride(string Variable, string Key);
