using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Eeg.Tests.Gateway.Node.Support;
using Xunit.Abstractions;

namespace Eeg.Tests.Gateway.Node;

[Collection(GatewayIntegration.Name)]
public class StatusEndpointTests : Akka.TestKit.Xunit2.TestKit
{
    private const string Promtool = "/usr/bin/promtool";
    private readonly ITestOutputHelper _output;

    public StatusEndpointTests(ITestOutputHelper output) : base(output: output) => _output = output;

    private static async Task<GatewayHost> StartStreamingAsync(Akka.Actor.ActorSystem system)
    {
        GatewayHost host = await GatewayHost.StartAsync(system);
        host.Feeder.Start();
        // A client, so that the gateway has per-client counters to show.
        StreamClient client = await StreamClient.ConnectAsync(host.BaseAddress);
        client.StartReading(CancellationToken.None);
        var clock = Stopwatch.StartNew();
        while (host.Feeder.Frames < 2000 && clock.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(50);
        return host;
    }

    [Fact]
    public async Task Status_is_camel_case_json_with_the_documented_counters_sinks_latency_and_the_gateways_clients()
    {
        await using GatewayHost host = await StartStreamingAsync(Sys);
        using var http = new HttpClient { BaseAddress = host.BaseAddress };

        using var response = await http.GetAsync("/status");
        string body = await response.Content.ReadAsStringAsync();
        _output.WriteLine(body);

        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using JsonDocument doc = JsonDocument.Parse(body);
        JsonElement root = doc.RootElement;
        Assert.True(root.GetProperty("samples").GetInt64() >= 2000);
        Assert.True(root.GetProperty("frames").GetInt64() >= 2000);
        Assert.Equal(0, root.GetProperty("overruns").GetInt64());
        Assert.Equal(0, root.GetProperty("corruptFrames").GetInt64());
        Assert.True(root.GetProperty("uptimeSeconds").GetDouble() > 0);
        foreach (string p in new[] { "p50", "p99", "p999", "max" }) Assert.True(root.GetProperty("latencyMicros").GetProperty(p).GetDouble() > 0, p);
        JsonElement scope = root.GetProperty("sinks").GetProperty("scope");
        Assert.Equal("drop-oldest", scope.GetProperty("policy").GetString());
        Assert.True(scope.GetProperty("enqueued").ValueKind == JsonValueKind.Number);
        Assert.Equal(0, scope.GetProperty("dropped").GetInt64());
        Assert.False(scope.GetProperty("failed").GetBoolean());
        JsonElement gateway = root.GetProperty("gateway");
        Assert.Equal(1, gateway.GetProperty("clientsConnected").GetInt32());
        JsonElement client = gateway.GetProperty("clients")[0];
        Assert.True(client.GetProperty("framesSent").GetInt64() > 0);
        Assert.Equal(0, client.GetProperty("framesDropped").GetInt64());
    }

    [Fact]
    public async Task Metrics_are_prometheus_text_with_total_counters_base_units_and_latency_quantiles()
    {
        await using GatewayHost host = await StartStreamingAsync(Sys);
        using var http = new HttpClient { BaseAddress = host.BaseAddress };

        using var response = await http.GetAsync("/metrics");
        string text = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        var samples = new Dictionary<string, double>();
        var sampleLine = new Regex(@"^([a-zA-Z_:][a-zA-Z0-9_:]*(\{[^}]*\})?) (\S+)$");
        foreach (string line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith('#'))
            {
                Assert.Matches(@"^# (HELP|TYPE) [a-z_]+ .+$", line);
                continue;
            }
            Match m = sampleLine.Match(line);
            Assert.True(m.Success, $"not a sample line: {line}");
            samples[m.Groups[1].Value] = double.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture);
        }
        Assert.True(samples["eeg_samples_total"] >= 2000);
        Assert.Equal(0, samples["eeg_overruns_total"]);
        Assert.Equal(0, samples["eeg_sink_dropped_total{sink=\"scope\"}"]);
        Assert.True(samples["eeg_latency_seconds{quantile=\"0.99\"}"] > 0);
        Assert.True(samples["eeg_latency_seconds{quantile=\"0.99\"}"] < 10, "latency is in seconds, not microseconds");
        Assert.Equal(1, samples["eeg_gateway_clients"]);
        Assert.True(samples["eeg_gateway_frames_sent_total"] > 0);
    }

    [Fact]
    public async Task Promtool_check_metrics_passes_on_the_metrics_endpoint()
    {
        Assert.True(File.Exists(Promtool), $"{Promtool} is missing: install Debian's prometheus package (apt-get install -y prometheus; scripts/install-test-deps.sh does it)");
        await using GatewayHost host = await StartStreamingAsync(Sys);
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        string text = await http.GetStringAsync("/metrics");

        var start = new ProcessStartInfo(Promtool, "check metrics")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using Process promtool = Process.Start(start)!;
        await promtool.StandardInput.WriteAsync(text);
        promtool.StandardInput.Close();
        string stdout = await promtool.StandardOutput.ReadToEndAsync();
        string stderr = await promtool.StandardError.ReadToEndAsync();
        await promtool.WaitForExitAsync();

        _output.WriteLine(text);
        Assert.True(promtool.ExitCode == 0, $"promtool check metrics failed ({promtool.ExitCode}): {stdout} {stderr}");
        Assert.Equal("", (stdout + stderr).Trim());
    }
}
