using Eeg.Pipeline.Cluster;
using Eeg.Gateway.ClusterConsole;
using Eeg.Gateway.Hosting;

namespace Eeg.Gateway;

/// <summary>
/// The gateway role run on its own node: `Gateway.Node --config hocon/lab-3-nodes/gateway.conf`.
/// Joins the cluster (cluster-node block; EEG_CLUSTER_HOSTNAME, EEG_CLUSTER_PORT, EEG_CLUSTER_SEEDS
/// override it) and serves the web UI on gateway.http (EEG_HTTP_HOST, EEG_HTTP_PORT) until SIGTERM
/// or Ctrl+C. Exits with 1 when the cluster downs this node, so that systemd restarts it.
/// `Gateway.Node console|status|nodes|record|marker|stage|impedance|filters|leave ...` is the
/// cluster console instead (Console/, docs/api.md): an HTTP client of a running gateway.
/// </summary>
public static class Program
{
    public static Task<int> Main(string[] args) => ConsoleCommand.Handles(args) ? RunConsoleAsync(args) : RunNodeAsync(args);

    private static async Task<int> RunConsoleAsync(string[] args)
    {
        using var stop = new CancellationTokenSource();
        System.Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
        return await ConsoleCommand.RunAsync(args, ConsoleIo.FromProcess(), stop.Token);
    }

    private static Task<int> RunNodeAsync(string[] args) => RoleNodeRunner.RunAsync(args, "Gateway.Node", async (config, stop) =>
    {
        GatewayNode node = await GatewayNode.StartAsync(config, stop);
        return new RoleNodeRunner.Started(node, node.System,
            $"gateway node running at {Akka.Cluster.Cluster.Get(node.System).SelfAddress}; web UI {node.Server.BaseAddress}");
    });
}
