namespace Eeg.Tests.Pipeline.Core;

/// <summary>
/// Tests that run several spinning or busy threads. They run one at a time and not alongside other
/// test classes: the machine has 2 cores, and two stress tests at once would make spinning consumers
/// starve each other's producers (correct, but needlessly slow).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class StressCollection
{
    public const string Name = "Multi-threaded stress";
}
