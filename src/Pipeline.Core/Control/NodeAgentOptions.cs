using Akka.Actor;

namespace Eeg.Pipeline.Control;

/// <summary>What a node's agent needs to know about its node: what it runs and which actors own what.</summary>
public sealed record NodeAgentOptions
{
    /// <summary>The roles this process runs (acquisition, processing, gateway).</summary>
    public required IReadOnlyList<string> Roles { get; init; }

    /// <summary>The acquisition actor (pipeline report, filters, impedance); null on nodes without acquisition.</summary>
    public IActorRef? Acquisition { get; init; }

    /// <summary>The parent of this node's local sinks and stage hosts (they are its children, named as the sink).</summary>
    public IActorRef? SinkParent { get; init; }

    /// <summary>Names of the stages among the local sinks.</summary>
    public IReadOnlyCollection<string> Stages { get; init; } = [];

    /// <summary>Remote sinks this node consumes (remote-recorder on the processing node, remote-scope on the gateway).</summary>
    public IReadOnlyList<string> RemoteConsumers { get; init; } = [];

    /// <summary>How often a node without the acquisition role probes the acquisition node's clock.</summary>
    public TimeSpan ProbeInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Probes sent right after the acquisition node is found, <see cref="BurstSpacing"/> apart, so an offset shows within a second.</summary>
    public int BurstProbes { get; init; } = 8;

    public TimeSpan BurstSpacing { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Probes the offset estimate keeps (the lowest round trip among them wins).</summary>
    public int ProbeWindow { get; init; } = 32;

    /// <summary>Oldest probe the estimate keeps.</summary>
    public TimeSpan ProbeMaxAge { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Wall-clock UTC in 100 ns ticks (DateTime.UtcNow.Ticks: clock_gettime(CLOCK_REALTIME) on Linux); tests inject a skewed clock.</summary>
    public Func<long> Clock { get; init; } = static () => DateTime.UtcNow.Ticks;

    /// <summary>How long the agent waits for a local actor (acquisition, recorder, stage host) while it builds a report.</summary>
    public TimeSpan LocalAskTimeout { get; init; } = TimeSpan.FromSeconds(1.5);
}
