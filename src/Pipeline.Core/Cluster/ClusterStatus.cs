using Akka.Actor;
using Eeg.Pipeline.Remote;
using Eeg.Shared.Status;

namespace Eeg.Pipeline.Cluster;

/// <summary>The cluster and remote sink parts of a status snapshot.</summary>
public static class ClusterStatus
{
    /// <summary>Every member this node knows, with roles, address, state and reachability (empty without a cluster).</summary>
    public static IReadOnlyList<ClusterMemberStatus> Members(ActorSystem system)
    {
        if (!system.Settings.ProviderClass.Contains("Cluster", StringComparison.Ordinal))
        {
            return [];
        }
        Akka.Cluster.Cluster cluster = Akka.Cluster.Cluster.Get(system);
        var state = cluster.State;
        var unreachable = state.Unreachable.Select(m => m.UniqueAddress).ToHashSet();
        Control.ClockOffsets offsets = Control.ClockOffsets.For(system);
        return state.Members
            .Select(m => new ClusterMemberStatus
            {
                Address = m.Address.ToString(),
                Roles = m.Roles.OrderBy(r => r, StringComparer.Ordinal).ToArray(),
                State = m.Status.ToString(),
                Reachable = !unreachable.Contains(m.UniqueAddress),
                Self = m.UniqueAddress.Equals(cluster.SelfUniqueAddress),
                // Known on the acquisition node (the members report theirs with their clock probes).
                ClockOffsetMicros = m.HasRole(ClusterNodeSettings.Acquisition) ? 0 : offsets.Of(m.Address.ToString()),
            })
            .ToArray();
    }

    /// <summary>The sending side of every remote sink of this node.</summary>
    public static IReadOnlyList<RemoteSinkStatus> RemoteSinks(ActorSystem system) =>
        RemoteSinkRegistry.For(system).All.Select(s => new RemoteSinkStatus
        {
            Name = s.Name,
            Lossless = s.Lossless,
            Consumer = s.Consumer,
            Credit = s.Credit,
            InFlight = s.InFlight,
            InMemory = s.InMemory,
            SpooledBatches = s.SpooledBatches,
            SpooledFrames = s.SpooledFrames,
            SpoolBytes = s.SpoolBytes,
            FramesSent = s.FramesSent,
            DroppedFrames = s.DroppedFrames,
            LostSamples = s.LostSamples,
        }).ToArray();
}
