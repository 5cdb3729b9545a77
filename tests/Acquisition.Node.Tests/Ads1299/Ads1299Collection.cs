namespace Eeg.Tests.Acquisition.Node.Ads1299;

/// <summary>
/// The ADS1299 tests that run threads (emulated DRDY, reader, DSP) or measure allocation run on their
/// own, after the parallel tests: the machine has two cores, and their load must not turn another
/// test's paced timing into drops, nor another test's load into theirs.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class Ads1299Collection
{
    public const string Name = "ADS1299 threads";
}
