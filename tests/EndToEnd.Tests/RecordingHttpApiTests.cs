using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Eeg.Acquisition.Hosting;
using Eeg.Pipeline.Configuration;
using Eeg.Processing.Recording;

namespace Eeg.Tests.EndToEnd;

/// <summary>Recording control over HTTP, as the scope page and a lab's scripts use it.</summary>
public sealed class RecordingHttpApiTests : IDisposable
{
    private const string Token = "recording-http-api-tests-token";
    private readonly string _directory = Directory.CreateTempSubdirectory("eeg-e2e-http-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private Task<NodeHost> StartNode(string extra = "") => NodeHost.StartAsync(ConfigLoader.Load(null, $$"""
        pipeline { channels = 8, sample-rate = 1000, simulated.signal = pattern }
        recorder { directory = "{{_directory}}", formats = [bdf, csv] }
        gateway.http.port = 0
        gateway.control-token = "{{Token}}"
        {{extra}}
        """), statusOut: null);

    [Fact]
    public async Task Start_marker_stop_and_list_make_a_recording_that_verify_accepts()
    {
        await using NodeHost node = await StartNode();
        using var http = new HttpClient { BaseAddress = node.Roles.Gateway!.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Token);

        HttpResponseMessage markerFirst = await http.PostAsJsonAsync("recordings/marker", new { text = "too early" });
        Assert.Equal(HttpStatusCode.Conflict, markerFirst.StatusCode);

        HttpResponseMessage start = await http.PostAsJsonAsync("recordings/start", new { subject = "s01", session = "rest" });
        Assert.Equal(HttpStatusCode.OK, start.StatusCode);
        JsonElement started = await start.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("recording", started.GetProperty("state").GetString());
        Assert.Contains("s01_rest", started.GetProperty("name").GetString());

        HttpResponseMessage again = await http.PostAsync("recordings/start", null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("already recording", (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());

        await Task.Delay(1500);
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsJsonAsync("recordings/marker", new { text = "eyes closed" })).StatusCode);
        await Task.Delay(1000);
        HttpResponseMessage stop = await http.PostAsync("recordings/stop", null);
        Assert.Equal(HttpStatusCode.OK, stop.StatusCode);
        JsonElement stopped = await stop.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("stopped", stopped.GetProperty("state").GetString());

        JsonElement list = await http.GetFromJsonAsync<JsonElement>("recordings");
        Assert.Equal(1, list.GetProperty("recordings").GetArrayLength());

        string bdf = stopped.GetProperty("files").EnumerateArray().Select(f => f.GetString()!).Single(f => f.EndsWith(".bdf"));
        var output = new StringWriter();
        Assert.True(VerifyCommand.Run(bdf, checkPattern: true, output, new StringWriter()) == 0, output.ToString());
        Assert.Contains("eyes closed", output.ToString());
    }

    [Fact]
    public async Task A_node_without_a_recorder_says_so_instead_of_failing()
    {
        await using NodeHost node = await StartNode("recorder.enabled = off");
        using var http = new HttpClient { BaseAddress = node.Roles.Gateway!.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Token);

        HttpResponseMessage start = await http.PostAsync("recordings/start", null);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, start.StatusCode);
        Assert.Contains("recorder.enabled = off", (await start.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());

        JsonElement list = await http.GetFromJsonAsync<JsonElement>("recordings");
        Assert.False(list.GetProperty("recorder").GetBoolean());
    }
}
