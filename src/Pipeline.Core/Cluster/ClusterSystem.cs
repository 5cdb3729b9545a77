using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Cluster.Hosting.SBR;
using Akka.Configuration;
using Akka.Hosting;
using Akka.Remote.Hosting;
using Eeg.Shared.Remote;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Eeg.Pipeline.Cluster;

/// <summary>
/// The actor system of a node that joins the lab's cluster, started with Akka.Hosting: it reads as a
/// list of what the node is (remoting on hostname:port, over TLS with the lab certificate when
/// cluster-node.tls is on, clustering with its roles and seed nodes, the
/// split brain resolver, our serializer for the remote sink protocol).
/// </summary>
public sealed class ClusterSystem : IAsyncDisposable
{
    /// <summary>The actor system's name; every node of a lab uses it (it is part of the addresses).</summary>
    public const string SystemName = "eeg";

    /// <summary>A dedicated thread per actor, for the remote sinks and their consumers.</summary>
    public const string RemoteSinkDispatcher = "eeg.dispatchers.remote-sink";

    private readonly IHost _host;

    private ClusterSystem(IHost host, ActorSystem system, LabPeerVerifier? peers)
    {
        _host = host;
        System = system;
        Peers = peers;
    }

    public ActorSystem System { get; }

    /// <summary>With TLS: how many TLS peers were accepted and refused (null without TLS).</summary>
    public LabPeerVerifier? Peers { get; }

    /// <summary>Starts the system and begins joining the seed nodes (joining completes in the background).</summary>
    /// <param name="settings">The cluster-node block.</param>
    /// <param name="akka">The node's other Akka settings (mailboxes, dispatchers, log levels).</param>
    public static async Task<ClusterSystem> StartAsync(ClusterNodeSettings settings, Config akka, CancellationToken cancellationToken = default)
    {
        var remote = new RemoteOptions
        {
            HostName = settings.Hostname,
            Port = settings.Port,
            // A batch of the largest frames (4000 samples x 32 channels) is ~1 MB.
            MaxFrameSize = 4 * 1024 * 1024,
        };
        LabPeerVerifier? peers = null;
        if (settings.Tls.Certificate is { } certificate)
        {
            peers = new LabPeerVerifier(certificate);
            remote.EnableSsl = true;
            remote.Ssl = new SslOptions
            {
                X509Certificate = certificate,
                // Validation stays on: our verifier replaces the chain check (the lab certificate is
                // self-signed, in no trust store) with pinning, on both ends of every connection
                // (mutual TLS). Host names are not checked: labs use IP addresses, and the pinned
                // certificate already names the lab.
                SuppressValidation = false,
                RequireMutualAuthentication = true,
                ValidateCertificateHostname = false,
                CustomValidator = peers.Verify,
            };
        }
        IHost host = new HostBuilder()
            .ConfigureLogging(logging => logging.ClearProviders())
            .ConfigureServices(services => services.AddAkka(SystemName, (builder, _) =>
            {
                builder
                    .AddHocon(akka, HoconAddMode.Prepend)
                    .AddHocon(ConfigurationFactory.ParseString(RemoteSinkSerializer.Hocon), HoconAddMode.Prepend)
                    .AddHocon(ConfigurationFactory.ParseString(
                        // The node's process ends when the cluster downs it, so that systemd (or
                        // deploy/local-lab.sh) restarts it and it joins again as a new incarnation.
                        $"akka.cluster.split-brain-resolver.stable-after = {(int)settings.DowningStableAfter.TotalMilliseconds}ms\n" +
                        "akka.cluster.run-coordinated-shutdown-when-down = on\n" +
                        // Akka's default downs EVERY node when reachability keeps flapping for longer
                        // than stable-after; seen on the loaded 2-core test machine (load 50): the
                        // acquisition node was downed with the rest. Off: a flapping link waits until it
                        // settles, and keep-oldest then keeps the acquisition side.
                        "akka.cluster.split-brain-resolver.down-all-when-unstable = off\n" +
                        "akka.coordinated-shutdown.exit-clr = off\n" +
                        "akka.cluster.log-info = off\n" +
                        // One thread per remote sink actor on the acquisition node (NodeHost.Remote.cs).
                        "eeg.dispatchers.remote-sink { type = PinnedDispatcher }\n"), HoconAddMode.Prepend)
                    .WithRemoting(remote)
                    .WithClustering(new ClusterOptions
                    {
                        Roles = settings.Roles.ToArray(),
                        SeedNodes = settings.SeedNodes.ToArray(),
                        // Keep the side with the (one) acquisition node; never down it for being alone.
                        // Why not keep-majority: the Pi cut off from two workstations is the minority
                        // and would down itself, stopping acquisition over a switch blip.
                        SplitBrainResolver = new KeepOldestOption { Role = ClusterNodeSettings.Acquisition, DownIfAlone = false },
                    });
            }))
            .Build();
        await host.StartAsync(cancellationToken).ConfigureAwait(false);
        return new ClusterSystem(host, host.Services.GetRequiredService<ActorSystem>(), peers);
    }

    /// <summary>Leaves the cluster and stops the system.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await _host.StopAsync(TimeSpan.FromSeconds(15)).ConfigureAwait(false);
        }
        finally
        {
            _host.Dispose();
        }
    }
}
