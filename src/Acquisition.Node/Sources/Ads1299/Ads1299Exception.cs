namespace Eeg.Acquisition.Sources.Ads1299;

/// <summary>The chip did not answer as the datasheet says (wrong ID, a register that does not read back, a bus too slow).</summary>
public sealed class Ads1299Exception(string message) : InvalidOperationException(message);
