using Eeg.Pipeline.Configuration;

namespace Eeg.Pipeline.Ring;

/// <summary>Maps the <c>pipeline.wait-strategy</c> setting to a wait strategy instance.</summary>
public static class WaitStrategies
{
    /// <summary>A new strategy of the given kind (one per ring: the blocking one owns the ring's monitor).</summary>
    public static IWaitStrategy Create(WaitStrategyKind kind) => kind switch
    {
        WaitStrategyKind.BusySpin => new BusySpinWaitStrategy(),
        WaitStrategyKind.Yielding => new YieldingWaitStrategy(),
        WaitStrategyKind.Blocking => new BlockingWaitStrategy(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "wait strategy must be busy-spin, yielding or blocking"),
    };
}
