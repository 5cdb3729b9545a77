using Akka.Configuration;
using Eeg.Pipeline.Configuration;

namespace Eeg.Pipeline.Cluster;

/// <summary>The cluster-node block of the configuration: whether and how this process joins a cluster.</summary>
public sealed record ClusterNodeSettings
{
    public const string Acquisition = "acquisition";
    public const string Processing = "processing";
    public const string Gateway = "gateway";

    /// <summary>Remote sink the processing role consumes (lossless).</summary>
    public const string RecorderSink = "remote-recorder";
    /// <summary>Remote sink the gateway role consumes (drop-oldest).</summary>
    public const string ScopeSink = "remote-scope";

    public bool Enabled { get; init; }
    public IReadOnlyList<string> Roles { get; init; } = [Acquisition, Processing, Gateway];
    public string Hostname { get; init; } = "127.0.0.1";
    public int Port { get; init; } = 4053;
    public IReadOnlyList<string> SeedNodes { get; init; } = [];
    public TimeSpan DowningStableAfter { get; init; } = TimeSpan.FromSeconds(7);
    public TimeSpan BatchInterval { get; init; } = TimeSpan.FromMilliseconds(10);
    public int Window { get; init; } = 8;
    public int MemoryBatches { get; init; } = 600;
    public string SpoolDirectory { get; init; } = "spool";
    public TimeSpan SpoolDuration { get; init; } = TimeSpan.FromMinutes(10);
    public int PendingBatches { get; init; } = 4;

    /// <summary>TLS between nodes (cluster-node.tls); off, and loopback only, by default.</summary>
    public ClusterTlsSettings Tls { get; init; } = new();

    public bool Has(string role) => !Enabled || Roles.Contains(role);

    /// <summary>Reads cluster-node (a mistake is one line naming the key, the value and what is allowed).</summary>
    public static ClusterNodeSettings FromConfig(Config config)
    {
        Config block = config.HasPath("cluster-node") ? config.GetConfig("cluster-node") : ConfigLoader.Reference.GetConfig("cluster-node");
        block = block.WithFallback(ConfigLoader.Reference.GetConfig("cluster-node"));
        var r = new ConfigReader(block, "cluster-node");
        var sinks = new ConfigReader(block.GetConfig("remote-sinks"), "cluster-node.remote-sinks");
        IReadOnlyList<string> roles = r.StringList("roles", "a list of acquisition, processing, gateway");
        foreach (string role in roles)
        {
            if (role is not (Acquisition or Processing or Gateway))
            {
                throw ConfigException.Invalid("cluster-node.roles", role, "acquisition, processing or gateway");
            }
        }
        if (roles.Count == 0) throw ConfigException.Invalid("cluster-node.roles", "[]", "at least one of acquisition, processing, gateway");
        bool enabled = r.Switch("enabled");
        string hostname = r.String("hostname", "a host name or IP address");
        // The TLS settings (and the certificate file) only matter when this process opens a port.
        ClusterTlsSettings tls = enabled
            ? ClusterTlsSettings.Read(new ConfigReader(block.GetConfig("tls"), "cluster-node.tls"), hostname)
            : new ClusterTlsSettings();
        string seeds = r.String("seed-nodes", "comma-separated addresses such as akka.tcp://eeg@127.0.0.1:4053");
        IReadOnlyList<string> seedList = seeds.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (string seed in seedList)
        {
            // A seed of the other scheme would never answer: TLS and plain TCP nodes cannot talk.
            bool plain = seed.StartsWith("akka.tcp://eeg@", StringComparison.Ordinal);
            bool secure = seed.StartsWith("akka.ssl.tcp://eeg@", StringComparison.Ordinal);
            if (enabled ? (tls.Enabled ? !secure : !plain) : !(plain || secure))
            {
                string allowed = tls.Enabled
                    ? "addresses of the form akka.ssl.tcp://eeg@HOST:PORT (cluster-node.tls.enabled = on)"
                    : "addresses of the form akka.tcp://eeg@HOST:PORT (akka.ssl.tcp:// needs cluster-node.tls.enabled = on)";
                throw ConfigException.Invalid("cluster-node.seed-nodes", seed, allowed);
            }
        }
        return new ClusterNodeSettings
        {
            Enabled = enabled,
            Roles = roles,
            Hostname = hostname,
            Tls = tls,
            Port = r.Int("port", "0 to 65535", p => p is >= 0 and <= 65535),
            SeedNodes = seedList,
            DowningStableAfter = r.Duration("downing-stable-after", "1s to 5m", d => d >= TimeSpan.FromSeconds(1) && d <= TimeSpan.FromMinutes(5)),
            BatchInterval = sinks.Duration("batch-interval", "1ms to 1s", d => d >= TimeSpan.FromMilliseconds(1) && d <= TimeSpan.FromSeconds(1)),
            Window = sinks.Int("window", "1 to 64", w => w is >= 1 and <= 64),
            MemoryBatches = sinks.Int("memory-batches", "1 to 100000", m => m is >= 1 and <= 100_000),
            SpoolDirectory = sinks.String("spool-directory", "a folder"),
            SpoolDuration = sinks.Duration("spool-duration", "1s to 24h", d => d >= TimeSpan.FromSeconds(1) && d <= TimeSpan.FromHours(24)),
            PendingBatches = sinks.Int("pending-batches", "1 to 1024", p => p is >= 1 and <= 1024),
        };
    }
}
