using Akka.Actor;
using Akka.Cluster;
using Akka.Configuration;
using Eeg.Pipeline.Cluster;
using Eeg.Pipeline.Configuration;

namespace Eeg.Tests.MultiNode.Tls;

/// <summary>
/// One cluster node as the nodes start it (ClusterSystem from the cluster-node settings, TLS
/// included), in this process, on 127.0.0.1 and a port the system picks.
/// </summary>
internal static class TlsNode
{
    /// <summary>The cluster-node block of a node on 127.0.0.1, port 0, TLS with <paramref name="pfx"/>.</summary>
    public static ClusterNodeSettings Settings(string role, string pfx, string seeds) =>
        ClusterNodeSettings.FromConfig(ConfigurationFactory.ParseString($$"""
            cluster-node {
              enabled = on
              roles = [{{role}}]
              hostname = 127.0.0.1
              port = 0
              seed-nodes = "{{seeds}}"
              tls { enabled = on, certificate-path = "{{pfx}}", certificate-password = "{{LabCertificates.Password}}" }
            }
            """).WithFallback(ConfigLoader.Reference));

    /// <summary>Starts the first node and lets it join itself (it has no seed to wait for).</summary>
    public static async Task<ClusterSystem> StartFirstAsync(string pfx)
    {
        ClusterSystem node = await ClusterSystem.StartAsync(Settings(ClusterNodeSettings.Acquisition, pfx, ""), Akka());
        Cluster cluster = Cluster.Get(node.System);
        cluster.Join(cluster.SelfAddress);
        return node;
    }

    /// <summary>Starts a node whose seed is <paramref name="seed"/>.</summary>
    public static Task<ClusterSystem> StartJoiningAsync(string pfx, ClusterSystem seed) =>
        ClusterSystem.StartAsync(Settings(ClusterNodeSettings.Processing, pfx, Cluster.Get(seed.System).SelfAddress.ToString()), Akka());

    public static int UpMembers(ClusterSystem node) =>
        Cluster.Get(node.System).State.Members.Count(m => m.Status == MemberStatus.Up);

    public static bool IsMemberOf(ClusterSystem node, ClusterSystem cluster)
    {
        Address address = Cluster.Get(node.System).SelfAddress;
        return Cluster.Get(cluster.System).State.Members.Any(m => m.Address == address);
    }

    public static async Task<bool> EventuallyAsync(Func<bool> condition, TimeSpan timeout)
    {
        DateTime until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            if (condition()) return true;
            await Task.Delay(50);
        }
        return condition();
    }

    private static Config Akka() => ConfigurationFactory.ParseString("""
        akka.loglevel = WARNING
        akka.stdout-loglevel = WARNING
        akka.log-dead-letters = off
        akka.coordinated-shutdown.run-by-default = off
        """);
}
