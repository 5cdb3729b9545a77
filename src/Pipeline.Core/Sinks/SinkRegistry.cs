using System.Collections.Concurrent;
using Akka.Actor;
using Eeg.Pipeline.Configuration;

namespace Eeg.Pipeline.Sinks;

/// <summary>
/// The actor system's table of sinks: name, settings and counters. The policy mailbox of a sink
/// actor finds its settings here by the actor's name, so HOCON names the mailbox type and the
/// registry supplies depth and timeout per sink; status reads every sink's counters from here.
/// </summary>
public sealed class SinkRegistry : IExtension
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>The registry of <paramref name="system"/>.</summary>
    public static SinkRegistry For(ActorSystem system) => system.WithExtension<SinkRegistry, SinkRegistryProvider>();

    /// <summary>Registers a sink (or returns the existing entry's counters when the name is known).</summary>
    public SinkCounters Register(SinkSettings settings)
    {
        Entry entry = _entries.GetOrAdd(settings.Name, _ => new Entry(settings, new SinkCounters(settings.Name, settings.Policy, settings.Capacity)));
        return entry.Counters;
    }

    /// <summary>Settings and counters of the sink named <paramref name="name"/>, if registered.</summary>
    public bool TryGet(string name, out SinkSettings settings, out SinkCounters counters)
    {
        if (_entries.TryGetValue(name, out Entry? entry))
        {
            settings = entry.Settings;
            counters = entry.Counters;
            return true;
        }
        settings = null!;
        counters = null!;
        return false;
    }

    /// <summary>Every registered sink's counters, in registration order is not guaranteed.</summary>
    public IReadOnlyList<SinkCounters> All => _entries.Values.Select(e => e.Counters).ToArray();

    private sealed record Entry(SinkSettings Settings, SinkCounters Counters);
}

/// <summary>Akka extension id for <see cref="SinkRegistry"/>.</summary>
public sealed class SinkRegistryProvider : ExtensionIdProvider<SinkRegistry>
{
    public override SinkRegistry CreateExtension(ExtendedActorSystem system) => new();
}
