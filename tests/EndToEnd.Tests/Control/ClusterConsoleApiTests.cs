using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Eeg.Acquisition.Hosting;
using Eeg.Pipeline.Configuration;
using Eeg.Processing.Recording;
using Eeg.Shared.Stages;

namespace Eeg.Tests.EndToEnd.Control;

/// <summary>A stage that does nothing: something for the operator to restart, stop and start.</summary>
public sealed class IdleStage : IStage
{
    public void Process(in FrameView frame, IStageContext context) { }
}

/// <summary>
/// The cluster console's HTTP API (docs/api.md) on the all-in-one node: the snapshot of the one
/// "local" node, and every control call, with and without the control token.
/// </summary>
public sealed class ClusterConsoleApiTests : IAsyncLifetime
{
    private const string Token = "cluster-console-api-tests-token";
    private readonly string _directory = Directory.CreateTempSubdirectory("eeg-e2e-console-").FullName;
    private NodeHost _node = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _node = await NodeHost.StartAsync(ConfigLoader.Load(null, $$"""
            pipeline {
              channels = 8, sample-rate = 1000, simulated.signal = pattern
              stages = [ { name = idle, type = "{{typeof(IdleStage).FullName}}", policy = drop-oldest, capacity = 4 } ]
            }
            recorder { directory = "{{_directory}}", formats = [bdf] }
            gateway.http.port = 0
            gateway.control-token = "{{Token}}"
            """), statusOut: null);
        _http = new HttpClient { BaseAddress = _node.Roles.Gateway!.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _node.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private Task<HttpResponseMessage> Post(string path, object? body, string? token)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = body is null ? null : JsonContent.Create(body) };
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return _http.SendAsync(request);
    }

    private async Task<JsonElement> Json(HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>();

    private async Task<JsonElement> LocalNode()
    {
        JsonElement cluster = await _http.GetFromJsonAsync<JsonElement>("api/cluster");
        return Assert.Single(cluster.GetProperty("nodes").EnumerateArray());
    }

    private static JsonElement Sink(JsonElement node, string name) =>
        node.GetProperty("sinks").EnumerateArray().Single(s => s.GetProperty("name").GetString() == name);

    [Fact]
    public async Task Control_calls_without_the_token_or_with_a_wrong_one_get_401_and_change_nothing()
    {
        var refused = new List<HttpResponseMessage>
        {
            await Post("recordings/start", new { subject = "s01" }, null),
            await Post("api/recordings/start", new { subject = "s01" }, "wrong-token-of-the-right-length"),
            await Post("api/stages/idle/restart", null, null),
            await Post("api/stages/idle/stop", null, "wrong"),
            await Post("api/filters", new { highpassHz = 2.0 }, null),
            await Post("api/impedance", new { on = true }, "wrong"),
            await Post("api/nodes/leave", new { address = "local" }, null),
        };

        foreach (HttpResponseMessage response in refused)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Contains("token", (await Json(response)).GetProperty("error").GetString());
        }
        JsonElement list = await _http.GetFromJsonAsync<JsonElement>("recordings");
        Assert.Equal(0, list.GetProperty("recordings").GetArrayLength());
        Assert.Empty(Directory.GetFiles(_directory));
        JsonElement node = await LocalNode();
        Assert.Equal(0, Sink(node, "idle").GetProperty("restarts").GetInt64());
        Assert.True(Sink(node, "idle").GetProperty("running").GetBoolean());
        Assert.Equal(0.5, node.GetProperty("pipeline").GetProperty("filters").GetProperty("highpassHz").GetDouble());

        HttpResponseMessage allowed = await Post("api/recordings/start", new { subject = "s01", session = "1" }, Token);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal("recording", (await Json(allowed)).GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.OK, (await Post("recordings/stop", null, Token)).StatusCode);
    }

    [Fact]
    public async Task Api_cluster_lists_the_local_node_with_its_roles_pipeline_counters_and_sinks()
    {
        JsonElement node = default;
        for (int i = 0; i < 100; i++)
        {
            node = await LocalNode();
            if (node.GetProperty("pipeline").GetProperty("samples").GetInt64() > 0) break;
            await Task.Delay(100);
        }

        Assert.Equal("local", node.GetProperty("address").GetString());
        Assert.Equal(["acquisition", "processing", "gateway"], node.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal("Up", node.GetProperty("state").GetString());
        Assert.True(node.GetProperty("answered").GetBoolean());
        Assert.Equal(0, node.GetProperty("clockOffsetMicros").GetDouble());
        Assert.True(node.GetProperty("memoryBytes").GetInt64() > 0);
        Assert.True(node.GetProperty("uptimeSeconds").GetDouble() > 0);
        JsonElement pipeline = node.GetProperty("pipeline");
        Assert.Equal(8, pipeline.GetProperty("channels").GetInt32());
        Assert.Equal(1000, pipeline.GetProperty("sampleRate").GetInt32());
        Assert.True(pipeline.GetProperty("samples").GetInt64() > 0, pipeline.ToString());
        Assert.False(pipeline.GetProperty("impedanceCheck").GetBoolean());
        Assert.Equal(100, pipeline.GetProperty("filters").GetProperty("lowpassHz").GetDouble());
        Assert.Equal(50, pipeline.GetProperty("filters").GetProperty("notchHz").GetDouble());
        Assert.Equal("recorder", Sink(node, "recorder").GetProperty("kind").GetString());
        Assert.Equal("lossless", Sink(node, "recorder").GetProperty("policy").GetString());
        Assert.Equal("scope", Sink(node, "scope").GetProperty("kind").GetString());
        Assert.Equal("stage", Sink(node, "idle").GetProperty("kind").GetString());
        Assert.True(Sink(node, "idle").GetProperty("delivered").GetInt64() > 0);
        Assert.Equal(JsonValueKind.Object, Sink(node, "idle").GetProperty("latencyMicros").ValueKind);
        Assert.Equal(JsonValueKind.Array, node.GetProperty("recordings").ValueKind);

        JsonElement nodes = await _http.GetFromJsonAsync<JsonElement>("api/nodes");
        JsonElement summary = Assert.Single(nodes.GetProperty("nodes").EnumerateArray());
        Assert.Equal("local", summary.GetProperty("address").GetString());
        Assert.False(summary.TryGetProperty("pipeline", out _));
        Assert.False(summary.TryGetProperty("sinks", out _));
    }

    [Fact]
    public async Task Stage_restart_raises_its_restart_count_and_stop_and_start_show_in_the_snapshot()
    {
        HttpResponseMessage restart = await Post("api/stages/idle/restart", null, Token);
        Assert.Equal(HttpStatusCode.OK, restart.StatusCode);
        JsonElement restarted = await Json(restart);
        Assert.Equal("idle", restarted.GetProperty("stage").GetString());
        Assert.Equal("local", restarted.GetProperty("node").GetString());
        Assert.Equal(1, restarted.GetProperty("restarts").GetInt64());
        Assert.Equal(1, Sink(await LocalNode(), "idle").GetProperty("restarts").GetInt64());

        JsonElement stopped = await Json(await Post("api/stages/idle/stop", null, Token));
        Assert.False(stopped.GetProperty("running").GetBoolean());
        Assert.False(Sink(await LocalNode(), "idle").GetProperty("running").GetBoolean());

        JsonElement started = await Json(await Post("api/stages/idle/start", null, Token));
        Assert.True(started.GetProperty("running").GetBoolean());
        Assert.True(Sink(await LocalNode(), "idle").GetProperty("running").GetBoolean());

        HttpResponseMessage unknown = await Post("api/stages/nope/restart", null, Token);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("stages: idle", (await Json(unknown)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task Filter_changes_are_checked_applied_and_leave_a_recording_without_a_gap()
    {
        Assert.Equal(HttpStatusCode.OK, (await Post("api/recordings/start", new { subject = "filters" }, Token)).StatusCode);
        await Task.Delay(500);

        HttpResponseMessage changed = await Post("api/filters", new { highpassHz = 1.0, lowpassHz = 40.0 }, Token);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        JsonElement filters = await Json(changed);
        Assert.Equal(1.0, filters.GetProperty("highpassHz").GetDouble());
        Assert.Equal(40, filters.GetProperty("lowpassHz").GetDouble());
        Assert.Equal(50, filters.GetProperty("notchHz").GetDouble());
        await Task.Delay(300);
        JsonElement off = await Json(await Post("api/filters", new { notchHz = 0 }, Token));
        Assert.Equal(0, off.GetProperty("notchHz").GetDouble());
        Assert.Equal(40, (await LocalNode()).GetProperty("pipeline").GetProperty("filters").GetProperty("lowpassHz").GetDouble());

        foreach ((object body, string key) in new (object, string)[]
        {
            (new { lowpassHz = 600.0 }, "pipeline.dsp.lowpass.cutoff-hz"),   // above Nyquist at 1000 samples/s
            (new { highpassHz = -1.0 }, "pipeline.dsp.highpass.cutoff-hz"),
            (new { highpassHz = 45.0 }, "pipeline.dsp.highpass.cutoff-hz"),  // not below the low-pass (40 Hz)
        })
        {
            HttpResponseMessage bad = await Post("api/filters", body, Token);
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Contains(key, (await Json(bad)).GetProperty("error").GetString());
        }
        Assert.Equal(1.0, (await LocalNode()).GetProperty("pipeline").GetProperty("filters").GetProperty("highpassHz").GetDouble());

        await Task.Delay(300);
        JsonElement stopped = await Json(await Post("api/recordings/stop", null, Token));
        string bdf = stopped.GetProperty("files").EnumerateArray().Select(f => f.GetString()!).Single(f => f.EndsWith(".bdf"));
        var report = new StringWriter();
        Assert.True(VerifyCommand.Run(bdf, checkPattern: true, report, report) == 0, report.ToString());
        Assert.Contains("gaps: 0 (0 samples)", report.ToString());
        Assert.Equal(stopped.GetProperty("samples").GetInt64(), RecordedSpan(report.ToString()));
    }

    [Fact]
    public async Task The_simulated_source_refuses_the_impedance_check_and_the_local_node_cannot_leave()
    {
        HttpResponseMessage impedance = await Post("api/impedance", new { on = true }, Token);
        Assert.Equal(HttpStatusCode.Conflict, impedance.StatusCode);
        Assert.Contains("has no impedance check", (await Json(impedance)).GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await Post("api/impedance", new { }, Token)).StatusCode);

        HttpResponseMessage leave = await Post("api/nodes/leave", new { address = "local" }, Token);
        Assert.Equal(HttpStatusCode.Conflict, leave.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Post("api/nodes/leave", new { address = "akka.tcp://eeg@127.0.0.1:1" }, Token)).StatusCode);
    }

    /// <summary>last index - first index + 1, from verify's report: equal to the samples recorded when every index is there once.</summary>
    private static long RecordedSpan(string report)
    {
        var m = System.Text.RegularExpressions.Regex.Match(report, @"first index (\d+), last index (\d+)");
        Assert.True(m.Success, report);
        return long.Parse(m.Groups[2].Value) - long.Parse(m.Groups[1].Value) + 1;
    }
}
