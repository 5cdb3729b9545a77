using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Eeg.Tests.MultiNode.MultiProcess;

/// <summary>
/// The cluster console's HTTP API (docs/api.md) on the three-node lab (deploy/local-lab.sh): the
/// gateway node sees every node through their agents, the nodes measure their clocks against the
/// acquisition node, and control calls reach the node that owns the thing (a stage and the recorder
/// on the processing node), including making a node leave.
/// </summary>
[Collection("lab")]
public sealed class ClusterConsoleLabTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private readonly string _stages = Directory.CreateTempSubdirectory("eeg-lab-stages-").FullName;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public ClusterConsoleLabTests()
    {
        // The example stages as a stage directory of the processing node, as a lab would deploy them.
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Eeg.Plugins.Examples.dll"), Path.Combine(_stages, "Eeg.Plugins.Examples.dll"));
    }

    public void Dispose()
    {
        _http.Dispose();
        Directory.Delete(_stages, recursive: true);
    }

    private static JsonElement Node(JsonElement cluster, string role) =>
        cluster.GetProperty("nodes").EnumerateArray().Single(n => n.GetProperty("roles").EnumerateArray().Any(r => r.GetString() == role));

    private static JsonElement Sink(JsonElement node, string name) =>
        node.GetProperty("sinks").EnumerateArray().Single(s => s.GetProperty("name").GetString() == name);

    private async Task<JsonElement?> ClusterAsync(LocalLab lab)
    {
        try
        {
            return await _http.GetFromJsonAsync<JsonElement>(new Uri(lab.BaseAddress, "api/cluster"));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            return null;
        }
    }

    private async Task<JsonElement?> WaitForClusterAsync(LocalLab lab, Func<JsonElement, bool> condition)
    {
        DateTime until = DateTime.UtcNow + Patience;
        JsonElement? last = null;
        while (DateTime.UtcNow < until)
        {
            last = await ClusterAsync(lab);
            try
            {
                if (last is { } c && condition(c)) return c;
            }
            catch (InvalidOperationException)
            {
                // a node not listed yet
            }
            await Task.Delay(250);
        }
        return null;
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(LocalLab lab, string path, object? body, string? token = LocalLab.ControlToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(lab.BaseAddress, path)) { Content = body is null ? null : JsonContent.Create(body) };
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        HttpResponseMessage response = await _http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    [Fact]
    public async Task The_gateway_lists_three_nodes_with_clock_offsets_restarts_a_remote_stage_records_on_the_processing_node_and_makes_it_leave()
    {
        await using var lab = new LocalLab(
            processingOverrides: "pipeline{stages=[{name=idle,type=Eeg.Plugins.Examples.DecimatorStage,policy=drop-oldest,capacity=4}]}",
            processingEnvironment: $"EEG_STAGE_DIRECTORY={_stages}");
        await lab.StartAsync();

        // Three nodes, each answering, and both consumers with a clock offset measured.
        JsonElement? up = await WaitForClusterAsync(lab, c =>
            c.GetProperty("nodes").GetArrayLength() == 3
            && c.GetProperty("nodes").EnumerateArray().All(n => n.GetProperty("answered").GetBoolean() && n.GetProperty("state").GetString() == "Up")
            && Node(c, "processing").GetProperty("clockOffsetMicros").ValueKind == JsonValueKind.Number
            && Node(c, "gateway").GetProperty("clockOffsetMicros").ValueKind == JsonValueKind.Number
            && Node(c, "acquisition").GetProperty("pipeline").GetProperty("samples").GetInt64() > 0);
        Assert.True(up is not null, "the console never saw three answering nodes with clock offsets:\n" + await ClusterAsync(lab) + "\n" + lab.Logs());
        JsonElement cluster = up.Value;

        foreach (string role in new[] { "acquisition", "processing", "gateway" })
        {
            JsonElement node = Node(cluster, role);
            Assert.Equal([role], node.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
            Assert.StartsWith("akka.tcp://eeg@127.0.0.1:", node.GetProperty("address").GetString());
            Assert.True(node.GetProperty("memoryBytes").GetInt64() > 0);
        }
        JsonElement acquisition = Node(cluster, "acquisition");
        Assert.Equal(0, acquisition.GetProperty("clockOffsetMicros").GetDouble());
        Assert.Equal(LocalLab.Channels, acquisition.GetProperty("pipeline").GetProperty("channels").GetInt32());
        Assert.Contains(acquisition.GetProperty("remoteSinks").EnumerateArray(), s => s.GetProperty("name").GetString() == "remote-recorder");
        Assert.Equal(JsonValueKind.Null, Node(cluster, "processing").GetProperty("pipeline").ValueKind);
        foreach (string role in new[] { "processing", "gateway" })
        {
            // One machine, one clock: the measured offset must be within half its round trip of zero.
            JsonElement node = Node(cluster, role);
            double offset = node.GetProperty("clockOffsetMicros").GetDouble();
            double roundTrip = node.GetProperty("clockRoundTripMicros").GetDouble();
            Assert.True(Math.Abs(offset) <= roundTrip / 2 + 1, $"{role}: offset {offset} us, round trip {roundTrip} us");
        }
        JsonElement? offsets = await lab.WaitForStatusAsync(s => s.GetProperty("clusterMembers").EnumerateArray().Count(m => m.GetProperty("clockOffsetMicros").ValueKind == JsonValueKind.Number) == 3, Patience);
        Assert.True(offsets is not null, "/status never showed the three members' clock offsets: " + await lab.StatusAsync());
        JsonElement processing = Node(cluster, "processing");
        Assert.Equal("recorder", Sink(processing, "recorder").GetProperty("kind").GetString());
        Assert.Equal("stage", Sink(processing, "idle").GetProperty("kind").GetString());
        Assert.Equal("remote-consumer", Sink(processing, "consumer-remote-recorder").GetProperty("kind").GetString());
        Assert.Equal("scope", Sink(Node(cluster, "gateway"), "scope").GetProperty("kind").GetString());
        string processingAddress = processing.GetProperty("address").GetString()!;

        // A stage on the processing node, restarted through the gateway.
        long restartsBefore = Sink(processing, "idle").GetProperty("restarts").GetInt64();
        var restart = await PostAsync(lab, "api/stages/idle/restart", null);
        Assert.True(restart.Status == HttpStatusCode.OK, restart.Body.ToString());
        Assert.Equal(processingAddress, restart.Body.GetProperty("node").GetString());
        Assert.Equal(restartsBefore + 1, restart.Body.GetProperty("restarts").GetInt64());
        JsonElement? restarted = await WaitForClusterAsync(lab, c => Sink(Node(c, "processing"), "idle").GetProperty("restarts").GetInt64() == restartsBefore + 1);
        Assert.True(restarted is not null, "the snapshot never showed the restart");

        // The recorder on the processing node, driven from the gateway-only node; without the token nothing starts.
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(lab, "recordings/start", new { subject = "lab" }, token: null)).Status);
        Assert.Empty(VerifiedRecording.In(lab.RecordingDirectory));
        var start = await PostAsync(lab, "recordings/start", new { subject = "lab", session = "1" });
        Assert.True(start.Status == HttpStatusCode.OK, start.Body + "\n" + lab.Logs());
        await Task.Delay(TimeSpan.FromSeconds(3)); // something to record
        var marker = await PostAsync(lab, "api/recordings/marker", new { text = "eyes closed" });
        Assert.True(marker.Status == HttpStatusCode.OK, marker.Body.ToString());
        await Task.Delay(TimeSpan.FromSeconds(1));
        var stop = await PostAsync(lab, "api/recordings/stop", null);
        Assert.True(stop.Status == HttpStatusCode.OK, stop.Body.ToString());
        string bdf = stop.Body.GetProperty("files").EnumerateArray().Select(f => f.GetString()!).Single(f => f.EndsWith(".bdf", StringComparison.Ordinal));
        VerifiedRecording recording = VerifiedRecording.Of(bdf);
        Assert.True(recording.ExitCode == 0 && recording.Gaps == 0, recording.Report);
        Assert.True(recording.LastIndex - recording.FirstIndex > 4000 * 3, recording.Report);
        Assert.Contains("eyes closed", recording.Report);
        JsonElement list = await _http.GetFromJsonAsync<JsonElement>(new Uri(lab.BaseAddress, "recordings"));
        Assert.Contains(list.GetProperty("recordings").EnumerateArray(), r => r.GetProperty("files").EnumerateArray().Any(f => f.GetString() == bdf));

        // The processing node leaves gracefully: the cluster sees it go, and its process ends.
        var leave = await PostAsync(lab, "api/nodes/leave", new { address = processingAddress });
        Assert.True(leave.Status == HttpStatusCode.OK, leave.Body.ToString());
        Assert.Equal("Leaving", leave.Body.GetProperty("state").GetString());
        JsonElement? gone = await WaitForClusterAsync(lab, c => !c.GetProperty("nodes").EnumerateArray().Any(n =>
            n.GetProperty("address").GetString() == processingAddress && n.GetProperty("state").GetString() == "Up"));
        Assert.True(gone is not null, "the processing node never left:\n" + lab.Logs());
        DateTime until = DateTime.UtcNow + Patience;
        while (lab.LogLines("processing", "removed from the cluster").Length == 0 && DateTime.UtcNow < until) await Task.Delay(250);
        Assert.True(lab.LogLines("processing", "removed from the cluster").Length > 0, "the processing node's process did not end:\n" + lab.Logs());
    }
}
