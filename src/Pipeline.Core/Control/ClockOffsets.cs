using System.Collections.Concurrent;
using Akka.Actor;

namespace Eeg.Pipeline.Control;

/// <summary>
/// On the acquisition node: the clock offset each member last reported with its probes, by address,
/// for /status (clusterMembers[].clockOffsetMicros). Written by the node agent, read by status.
/// </summary>
public sealed class ClockOffsets : IExtension
{
    private readonly ConcurrentDictionary<string, double> _offsets = new(StringComparer.Ordinal);

    public static ClockOffsets For(ActorSystem system) => system.WithExtension<ClockOffsets, ClockOffsetsProvider>();

    public void Report(string address, double offsetMicros) => _offsets[address] = offsetMicros;

    public double? Of(string address) => _offsets.TryGetValue(address, out double offset) ? offset : null;
}

/// <summary>Akka extension id for <see cref="ClockOffsets"/>.</summary>
public sealed class ClockOffsetsProvider : ExtensionIdProvider<ClockOffsets>
{
    public override ClockOffsets CreateExtension(ExtendedActorSystem system) => new();
}
