using Eeg.Acquisition.Hosting;
using Eeg.Gateway.Configuration;
using Eeg.Pipeline.Configuration;

namespace Eeg.Tests.Acquisition.Node.Hosting;

public sealed class NodeHostSettingsTests
{
    // A plain `./Acquisition.Node` with no config file and no EEG_* variable (the first start on a new
    // Pi, deploy/raspberry-pi.md) loads reference.conf alone; that once failed with Akka's
    // "Config can not have itself as fallback" before anything started.
    [Fact]
    public void The_roles_read_their_settings_from_reference_conf_alone()
    {
        Akka.Configuration.Config config = ConfigLoader.Load(null, null, _ => null);

        NodeHost.RoleSettings roles = NodeHost.ReadRoleSettings(config);

        Assert.Equal(GatewaySettings.Default, roles.Gateway);
    }

    [Fact]
    public void The_roles_read_a_layered_setting_over_reference_conf()
    {
        Akka.Configuration.Config config = ConfigLoader.Load(null, "gateway.http.port = 5099", _ => null);

        NodeHost.RoleSettings roles = NodeHost.ReadRoleSettings(config);

        Assert.Equal(5099, roles.Gateway.Port);
        Assert.Equal(GatewaySettings.Default.Host, roles.Gateway.Host);
    }
}
