using System.Net;
using Eeg.Gateway.Configuration;
using Eeg.Gateway.Hosting;
using Eeg.Shared.Status;
using Eeg.Tests.Gateway.Node.Support;

namespace Eeg.Tests.Gateway.Node.Console;

[Collection(GatewayIntegration.Name)]
public class ClusterPageRouteTests : Akka.TestKit.Xunit2.TestKit
{
    private static Task<PipelineStatus> NoStatus(CancellationToken ct) => throw new InvalidOperationException("no acquisition here");

    [Fact]
    public async Task The_gateway_serves_the_cluster_page_at_slash_cluster_and_the_scope_page_links_to_it()
    {
        await using GatewayServer server = await GatewayServer.StartAsync(GatewaySettings.Default with { Port = 0, ControlToken = "route-test-token-0123456789" }, Sys, NoStatus, CancellationToken.None);
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        using HttpResponseMessage page = await http.GetAsync("/cluster");
        string scope = await http.GetStringAsync("/");
        string script = await http.GetStringAsync("/cluster.js");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        string html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<title>EEG lab cluster</title>", html);
        Assert.Contains("src=\"cluster.js\"", html);
        Assert.Contains("href=\"cluster\"", scope);
        Assert.Contains("eeg.controlToken", script);
        Assert.Contains("api/cluster", script);
    }
}
