using System.Runtime.InteropServices;
using Akka.Configuration;
using Eeg.Gateway.Hosting;
using Eeg.Pipeline.Configuration;

namespace Eeg.Gateway;

/// <summary>
/// The gateway role run on its own node: `Gateway.Node --config hocon/lab-3-nodes/gateway.conf`.
/// Joins the cluster (cluster-node block; EEG_CLUSTER_HOSTNAME, EEG_CLUSTER_PORT, EEG_CLUSTER_SEEDS
/// override it) and serves the web UI on gateway.http (EEG_HTTP_HOST, EEG_HTTP_PORT) until SIGTERM
/// or Ctrl+C. Exits with 1 when the cluster downs this node, so that systemd restarts it.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        NodeCommandLine command;
        try
        {
            command = NodeCommandLine.Parse(args);
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine(ex.Message);
            Console.Error.WriteLine("usage: Gateway.Node [--config FILE]");
            return 2;
        }
        try
        {
            Config config = ConfigLoader.Load(command.ConfigFile);
            using var stop = new CancellationTokenSource();
            Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
            using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });

            await using GatewayNode node = await GatewayNode.StartAsync(config, stop.Token);
            Console.WriteLine($"gateway node running at {Akka.Cluster.Cluster.Get(node.System).SelfAddress}; web UI {node.Server.BaseAddress}");
            Task terminated = node.System.WhenTerminated;
            await Task.WhenAny(terminated, Task.Delay(Timeout.Infinite, stop.Token).ContinueWith(_ => { }));
            if (terminated.IsCompleted && !stop.IsCancellationRequested)
            {
                Console.Error.WriteLine("this node was removed from the cluster; exiting so that it restarts and rejoins");
                return 1;
            }
            Console.WriteLine("stopping...");
            return 0;
        }
        catch (ConfigException ex)
        {
            Console.Error.WriteLine($"configuration error: {ex.Message}");
            return 2;
        }
    }
}
