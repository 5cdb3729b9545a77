using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Eeg.Gateway.Configuration;
using Eeg.Gateway.Hosting;
using Eeg.Shared.Status;
using Eeg.Tests.Gateway.Node.Support;

namespace Eeg.Tests.Gateway.Node.Control;

/// <summary>
/// The control endpoints of a gateway whose node runs no agent (nothing answers behind it): the token
/// is checked before anything else, and the snapshot says which node did not answer and why.
/// </summary>
[Collection(GatewayIntegration.Name)]
public sealed class ControlEndpointTests : Akka.TestKit.Xunit2.TestKit
{
    private const string Token = GatewayHost.ControlTokenForTests;

    private static Task<PipelineStatus> NoStatus(CancellationToken ct) => throw new InvalidOperationException("no acquisition here");

    private Task<GatewayServer> Start() =>
        GatewayServer.StartAsync(GatewaySettings.Default with { Port = 0, ControlToken = Token }, Sys, NoStatus, CancellationToken.None);

    private static HttpRequestMessage Post(string path, string? token)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(new { subject = "s01" }) };
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    [Fact]
    public async Task The_token_is_checked_before_the_gateway_looks_for_a_recorder()
    {
        await using GatewayServer server = await Start();
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        HttpResponseMessage missing = await http.SendAsync(Post("api/recordings/start", null));
        HttpResponseMessage wrong = await http.SendAsync(Post("recordings/start", "not-the-token-at-all"));
        HttpResponseMessage right = await http.SendAsync(Post("api/recordings/start", Token));

        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Contains("needs the control token", (await missing.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Contains("wrong control token", (await wrong.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
        // Past the check: no node here runs a recorder.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, right.StatusCode);
        Assert.Contains("no node runs a recorder", (await right.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_node_whose_agent_does_not_answer_is_listed_with_answered_false_and_the_reason()
    {
        await using GatewayServer server = await Start();
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        JsonElement cluster = await http.GetFromJsonAsync<JsonElement>("api/cluster");

        Assert.True(cluster.TryGetProperty("time", out _));
        JsonElement node = Assert.Single(cluster.GetProperty("nodes").EnumerateArray());
        Assert.Equal("local", node.GetProperty("address").GetString());
        Assert.False(node.GetProperty("answered").GetBoolean());
        Assert.Contains("did not answer within 2 s", node.GetProperty("error").GetString());
        Assert.Equal(JsonValueKind.Null, node.GetProperty("pipeline").ValueKind);
        Assert.Equal(JsonValueKind.Null, node.GetProperty("clockOffsetMicros").ValueKind);
    }
}
