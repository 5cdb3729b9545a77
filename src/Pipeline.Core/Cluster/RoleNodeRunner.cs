using System.Runtime.InteropServices;
using Akka.Actor;
using Akka.Configuration;
using Eeg.Pipeline.Configuration;

namespace Eeg.Pipeline.Cluster;

/// <summary>
/// The shared main loop of a role run on its own node (Processing.Node, Gateway.Node): parse the
/// command line, load the config, start the node, run until SIGTERM or Ctrl+C, and exit with 1
/// when the cluster downs this node (so systemd restarts it and it rejoins). A config mistake is
/// one line and exit code 2.
/// </summary>
public static class RoleNodeRunner
{
    /// <summary>A started role node: its actor system and the line to print once it runs.</summary>
    public sealed record Started(IAsyncDisposable Node, ActorSystem System, string Banner);

    public static async Task<int> RunAsync(string[] args, string executable, Func<Config, CancellationToken, Task<Started>> start)
    {
        NodeCommandLine command;
        try
        {
            command = NodeCommandLine.Parse(args);
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine(ex.Message);
            Console.Error.WriteLine($"usage: {executable} [--config FILE]");
            return 2;
        }
        try
        {
            Config config = ConfigLoader.Load(command.ConfigFile);
            using var stop = new CancellationTokenSource();
            Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
            using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });

            Started started = await start(config, stop.Token);
            await using IAsyncDisposable node = started.Node;
            Console.WriteLine(started.Banner);
            Task terminated = started.System.WhenTerminated;
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
