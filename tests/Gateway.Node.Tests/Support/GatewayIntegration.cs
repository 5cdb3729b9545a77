namespace Eeg.Tests.Gateway.Node.Support;

/// <summary>
/// The tests that run a paced 4000 SPS stream (and a browser) share one collection so that they
/// run one after another: on a 2-core machine, two of them at once would starve each other's
/// readers and turn CPU contention into drops.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GatewayIntegration
{
    public const string Name = "gateway integration (paced streams, one at a time)";
}
