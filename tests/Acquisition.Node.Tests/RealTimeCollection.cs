namespace Eeg.Tests.Acquisition.Node;

/// <summary>
/// Tests that run the pipeline paced in real time and assert that nothing is lost. They run alone
/// (no other test class of this assembly at the same time): on a 2-core machine, CPU-bound tests
/// beside them hold the reader and DSP threads off the CPU for longer than the ring can absorb.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RealTimeCollection
{
    public const string Name = "real-time pipeline";
}
