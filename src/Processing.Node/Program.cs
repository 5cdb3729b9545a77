using Eeg.Pipeline.Cluster;
using Eeg.Processing.Hosting;

namespace Eeg.Processing;

/// <summary>
/// The processing role run on its own node: `Processing.Node --config hocon/lab-3-nodes/processing.conf`.
/// Joins the cluster (cluster-node block; EEG_CLUSTER_HOSTNAME, EEG_CLUSTER_PORT, EEG_CLUSTER_SEEDS
/// override it), records and runs the stages on the acquisition node's frames, until SIGTERM or
/// Ctrl+C. Exits with 1 when the cluster downs this node, so that systemd restarts it and it rejoins.
/// </summary>
public static class Program
{
    public static Task<int> Main(string[] args) => RoleNodeRunner.RunAsync(args, "Processing.Node", async (config, stop) =>
    {
        ProcessingNode node = await ProcessingNode.StartAsync(config, stop);
        return new RoleNodeRunner.Started(node, node.System,
            $"processing node running at {Akka.Cluster.Cluster.Get(node.System).SelfAddress}");
    });
}
