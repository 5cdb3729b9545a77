using System.Collections.Concurrent;
using Akka.Actor;

namespace Eeg.Pipeline.Sinks;

/// <summary>
/// Which sinks the operator has stopped (a stage taken down by "stage stop"), by name, so the node
/// agent reports running = false without asking the sink. Written by the sink, read by the agent.
/// </summary>
public sealed class SinkRunState : IExtension
{
    private readonly ConcurrentDictionary<string, bool> _stopped = new(StringComparer.Ordinal);

    public static SinkRunState For(ActorSystem system) => system.WithExtension<SinkRunState, SinkRunStateProvider>();

    public void SetStopped(string name, bool stopped) => _stopped[name] = stopped;

    public bool IsStopped(string name) => _stopped.TryGetValue(name, out bool stopped) && stopped;
}

/// <summary>Akka extension id for <see cref="SinkRunState"/>.</summary>
public sealed class SinkRunStateProvider : ExtensionIdProvider<SinkRunState>
{
    public override SinkRunState CreateExtension(ExtendedActorSystem system) => new();
}
