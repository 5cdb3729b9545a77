using System.Net;
using Eeg.Gateway.Configuration;
using Eeg.Gateway.Hosting;
using Eeg.Pipeline.Configuration;
using Eeg.Shared.Status;
using Eeg.Tests.Gateway.Node.Support;

namespace Eeg.Tests.Gateway.Node;

[Collection(GatewayIntegration.Name)]
public class GatewayServerTests : Akka.TestKit.Xunit2.TestKit
{
    private static Task<PipelineStatus> NoStatus(CancellationToken ct) => throw new InvalidOperationException("no acquisition here");

    [Fact]
    public async Task A_port_already_in_use_fails_with_one_line_naming_the_key()
    {
        await using GatewayServer first = await GatewayServer.StartAsync(GatewaySettings.Default with { ControlToken = GatewayHost.ControlTokenForTests, Port = 0 }, Sys, NoStatus, CancellationToken.None);
        var taken = GatewaySettings.Default with { ControlToken = GatewayHost.ControlTokenForTests, Port = first.BaseAddress.Port };

        var error = await Assert.ThrowsAsync<ConfigException>(() => GatewayServer.StartAsync(taken, Sys, NoStatus, CancellationToken.None));

        Assert.StartsWith($"gateway.http.port = {taken.Port} is not allowed: 127.0.0.1:{taken.Port} could not be bound", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public async Task Status_answers_503_with_a_reason_when_the_acquisition_does_not_answer()
    {
        await using GatewayServer server = await GatewayServer.StartAsync(GatewaySettings.Default with { ControlToken = GatewayHost.ControlTokenForTests, Port = 0 }, Sys, NoStatus, CancellationToken.None);
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        using var response = await http.GetAsync("/status");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("did not answer", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task More_clients_than_max_clients_are_refused_with_503_and_counted()
    {
        await using GatewayServer server = await GatewayServer.StartAsync(GatewaySettings.Default with { ControlToken = GatewayHost.ControlTokenForTests, Port = 0, MaxClients = 1 }, Sys, NoStatus, CancellationToken.None);
        await using StreamClient first = await StreamClient.ConnectAsync(server.BaseAddress);

        var refused = await Assert.ThrowsAsync<System.Net.WebSockets.WebSocketException>(() => StreamClient.ConnectAsync(server.BaseAddress));

        Assert.Contains("503", refused.Message);
        Assert.Equal(1, server.Hub.Snapshot().ClientsRefused);
    }

    [Fact]
    public async Task The_scope_page_and_its_script_are_served_from_the_output_folder()
    {
        await using GatewayServer server = await GatewayServer.StartAsync(GatewaySettings.Default with { ControlToken = GatewayHost.ControlTokenForTests, Port = 0 }, Sys, NoStatus, CancellationToken.None);
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        string page = await http.GetStringAsync("/");
        using var script = await http.GetAsync("/main.js");

        Assert.Contains("<title>EEG live scope</title>", page);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        string js = await script.Content.ReadAsStringAsync();
        Assert.Contains("\"uplot\"", js); // uPlot's root CSS class: the library is bundled
        Assert.Contains("bad magic", js); // our frame reader
    }
}
