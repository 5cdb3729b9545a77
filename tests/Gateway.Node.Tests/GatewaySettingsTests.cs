using Akka.Configuration;
using Eeg.Gateway.Configuration;
using Eeg.Pipeline.Configuration;
using Eeg.Tests.Gateway.Node.Support;

namespace Eeg.Tests.Gateway.Node;

public class GatewaySettingsTests
{
    private static Config Reference => ReferenceConfig.Load();

    private static Config With(string overrides) => ReferenceConfig.Load(overrides);

    [Fact]
    public void Reference_conf_gives_the_documented_defaults()
    {
        GatewaySettings settings = GatewaySettings.FromConfig(Reference);

        // EEG_HTTP_PORT etc. may be set on a developer's machine; the defaults hold without them.
        if (Environment.GetEnvironmentVariable("EEG_HTTP_PORT") is null && Environment.GetEnvironmentVariable("EEG_HTTP_HOST") is null
            && Environment.GetEnvironmentVariable("EEG_WS_MAX_CLIENTS") is null)
        {
            Assert.Equal(GatewaySettings.Default, settings);
        }
        Assert.Equal(4, settings.ClientQueueDepth);
        Assert.Equal(TimeSpan.FromSeconds(5), settings.TooSlowAfter);
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
