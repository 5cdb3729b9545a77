using Akka.Configuration;
using Eeg.Gateway.Configuration;
using Eeg.Pipeline.Configuration;

namespace Eeg.Tests.Gateway.Node;

public class GatewaySettingsTests
{
    // The node's own loader (embedded reference.conf, layers, EEG_* variables), with an empty
    // environment so that a developer's variables do not change the outcome.
    private static Config Reference => ConfigLoader.Load(null, null, _ => null);

    private static Config With(string overrides) => ConfigLoader.Load(null, overrides, _ => null);

    [Fact]
    public void Reference_conf_gives_the_documented_defaults()
    {
        Assert.Equal(GatewaySettings.Default, GatewaySettings.FromConfig(Reference));
    }

    [Fact]
    public void EEG_HTTP_PORT_and_EEG_HTTP_HOST_override_the_listening_address()
    {
        var environment = new Dictionary<string, string> { ["EEG_HTTP_PORT"] = "6001", ["EEG_HTTP_HOST"] = "0.0.0.0" };

        GatewaySettings settings = GatewaySettings.FromConfig(ConfigLoader.Load(null, null, v => environment.GetValueOrDefault(v)));

        Assert.Equal(6001, settings.Port);
        Assert.Equal("0.0.0.0", settings.Host);
    }

    [Fact]
    public void A_users_file_overrides_port_depth_and_too_slow_time()
    {
        GatewaySettings settings = GatewaySettings.FromConfig(With("gateway.http.port = 0\ngateway.websocket { client-queue-depth = 8, too-slow-after = 750ms }"));

        Assert.Equal(0, settings.Port);
        Assert.Equal(8, settings.ClientQueueDepth);
        Assert.Equal(TimeSpan.FromMilliseconds(750), settings.TooSlowAfter);
    }

    [Theory]
    [InlineData("gateway.http.port = 70000", "gateway.http.port = 70000 is not allowed: a TCP port from 0 to 65535 (0 picks a free port)")]
    [InlineData("gateway.http.port = eighty", "gateway.http.port = \"eighty\" is not allowed: a TCP port from 0 to 65535 (0 picks a free port)")]
    [InlineData("gateway.http.host = \"my laptop\"", "gateway.http.host = \"my laptop\" is not allowed: an IP address (127.0.0.1, 0.0.0.0, ::1) or localhost")]
    [InlineData("gateway.websocket.client-queue-depth = 0", "gateway.websocket.client-queue-depth = 0 is not allowed: an integer from 1 to 64")]
    [InlineData("gateway.websocket.too-slow-after = soon", "gateway.websocket.too-slow-after = \"soon\" is not allowed: a duration from 100ms to 1h")]
    [InlineData("gateway.websocket.max-message-bytes = 100", "gateway.websocket.max-message-bytes = 100 is not allowed: a byte count from 4096 to 16777216")]
    public void A_bad_value_fails_with_one_line_naming_key_value_and_what_is_allowed(string hocon, string expected)
    {
        var error = Assert.Throws<ConfigException>(() => GatewaySettings.FromConfig(With(hocon)));

        Assert.Equal(expected, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void A_configuration_without_the_gateway_block_says_so()
    {
        var error = Assert.Throws<ConfigException>(() => GatewaySettings.FromConfig(ConfigurationFactory.ParseString("pipeline.channels = 32")));

        Assert.StartsWith("gateway is missing", error.Message);
    }
}
