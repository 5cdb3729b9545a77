using Akka.Configuration;
using Eeg.Pipeline.Cluster;
using Eeg.Pipeline.Configuration;

namespace Eeg.Tests.MultiNode.Downing;

/// <summary>
/// What the split brain resolver of a started node is really configured with (Akka.Hosting adds its
/// own HOCON, so the settings are read back from the running system, not from our strings).
/// </summary>
public sealed class DowningSettingsTests
{
    [Fact]
    public async Task A_node_never_downs_every_member_because_the_network_is_unstable()
    {
        ClusterNodeSettings settings = ClusterNodeSettings.FromConfig(ConfigurationFactory.ParseString("""
            cluster-node { enabled = on, roles = [acquisition], hostname = 127.0.0.1, port = 0, seed-nodes = "" }
            """).WithFallback(ConfigLoader.Reference));
        await using ClusterSystem node = await ClusterSystem.StartAsync(settings, ConfigurationFactory.ParseString("akka.loglevel = WARNING"));

        Config sbr = node.System.Settings.Config.GetConfig("akka.cluster.split-brain-resolver");

        // Akka's default, on, downed the acquisition node under load (docs/perf.md, "Across nodes").
        Assert.Equal("off", sbr.GetString("down-all-when-unstable"));
        Assert.Equal("keep-oldest", sbr.GetString("active-strategy"));
        Assert.Equal("acquisition", sbr.GetString("keep-oldest.role"));
        Assert.False(sbr.GetBoolean("keep-oldest.down-if-alone"));
    }
}
