using System.Text.Json;
using Eeg.Gateway.ClusterConsole;

namespace Eeg.Tests.Gateway.Node.Console;

/// <summary>The console's commands against <see cref="FakeGateway"/>: what goes over HTTP and what is printed.</summary>
public class ConsoleClientTests
{
    private static readonly DateTime T0 = new(2026, 11, 27, 12, 0, 0, DateTimeKind.Utc);
    private static readonly Dictionary<string, string> NoEnvironment = new();

    private static async Task<(int Code, string Out, string Error)> RunAsync(FakeGateway gateway, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = await ConsoleCommand.RunAsync([.. args, "--url", gateway.BaseAddress.ToString()],
            new ConsoleIo(output, error, Interactive: false, KeysAvailable: false, Width: 200, NoEnvironment.GetValueOrDefault), CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Status_json_prints_the_apis_answer_exactly_as_it_came()
    {
        await using FakeGateway gateway = await FakeGateway.StartAsync();
        string json = ContractSamples.Cluster(T0);
        gateway.On("GET /api/cluster", 200, json);

        (int code, string output, string error) = await RunAsync(gateway, "status", "--json");

        Assert.Equal(0, code);
        Assert.Equal("", error);
        Assert.Equal(json + Environment.NewLine, output);
    }

    [Fact]
    public async Task Status_prints_the_snapshot_as_tables()
    {
        await using FakeGateway gateway = await FakeGateway.StartAsync();
        gateway.On("GET /api/cluster", 200, ContractSamples.Cluster(T0, recorderDropped: 2));

        (int code, string output, _) = await RunAsync(gateway, "status");

        Assert.Equal(0, code);
        Assert.Contains("Nodes", output);
        Assert.Contains(ContractSamples.Gateway, output);
        Assert.Contains($"! lossless recorder on {ContractSamples.Processing} dropped 2 frames", output);
    }

    [Fact]
    public async Task Record_start_posts_subject_and_session_with_the_bearer_token()
    {
        await using FakeGateway gateway = await FakeGateway.StartAsync();
        gateway.On("POST /api/recordings/start", 200,
            """{"name":"S07_3_x","files":["/r/S07_3_x.bdf"],"formats":["bdf"],"startUtc":null,"durationSeconds":0,"sizeBytes":0,"state":"recording","failureReason":null,"firstSampleIndex":-1,"samples":0,"gapSamples":0,"blockedSeconds":0}""");

        (int code, string output, string error) = await RunAsync(gateway, "record", "start", "--subject", "S07", "--session", "3", "--token", "sesame");

        Assert.Equal(0, code);
        Assert.Equal("", error);
        Assert.Equal("recording started: /r/S07_3_x.bdf (recording, 0.0 s, 0 kB)", output.TrimEnd());
        FakeGateway.Request request = Assert.Single(gateway.Requests);
        Assert.Equal("Bearer sesame", request.Authorization);
        JsonElement body = JsonDocument.Parse(request.Body).RootElement;
        Assert.Equal("S07", body.GetProperty("subject").GetString());
        Assert.Equal("3", body.GetProperty("session").GetString());
    }

    [Fact]
    public async Task A_refused_token_is_exit_code_1_and_one_line_that_says_401_and_token()
    {
        await using FakeGateway gateway = await FakeGateway.StartAsync();
        gateway.On("POST /api/stages/alpha/restart", 401, """{"error":"a control call needs Authorization: Bearer <token>"}""");

        (int code, string output, string error) = await RunAsync(gateway, "stage", "restart", "alpha");

        Assert.Equal(1, code);
        Assert.Equal("", output);
        Assert.Equal("POST /api/stages/alpha/restart: 401 a control call needs Authorization: Bearer <token> (no control token: pass --token, set EEG_CONTROL_TOKEN, or read it from the gateway's token file)",
            error.TrimEnd('\n'));
        Assert.Null(Assert.Single(gateway.Requests).Authorization);
    }

    [Fact]
    public async Task Stage_restart_prints_the_new_restart_count_and_json_prints_the_answer()
    {
        await using FakeGateway gateway = await FakeGateway.StartAsync();
        const string answer = """{"stage":"alpha band","node":"akka.tcp://eeg@127.0.0.1:4054","restarts":2}""";
        gateway.On("POST /api/stages/alpha band/restart", 200, answer);

        (int code, string output, _) = await RunAsync(gateway, "stage", "restart", "alpha band", "--token", "t");
        (int codeJson, string json, _) = await RunAsync(gateway, "stage", "restart", "alpha band", "--token", "t", "--json");

        Assert.Equal(0, code);
        Assert.Equal("stage alpha band on akka.tcp://eeg@127.0.0.1:4054 restarted (restarts: 2)", output.TrimEnd());
        Assert.Equal(0, codeJson);
        Assert.Equal(answer, json.TrimEnd());
    }

    [Fact]
    public async Task Filters_send_only_the_frequencies_given_and_print_those_in_effect()
    {
        await using FakeGateway gateway = await FakeGateway.StartAsync();
        gateway.On("POST /api/filters", 200, """{"highpassHz":1.0,"lowpassHz":100,"notchHz":0}""");

        (int code, string output, _) = await RunAsync(gateway, "filters", "--highpass", "1", "--notch", "0", "--token", "t");

        Assert.Equal(0, code);
        Assert.Equal("filters now: hp 1 Hz, lp 100 Hz, notch off", output.TrimEnd());
        JsonElement body = JsonDocument.Parse(Assert.Single(gateway.Requests).Body).RootElement;
        Assert.Equal(["highpassHz", "notchHz"], body.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal(1.0, body.GetProperty("highpassHz").GetDouble());
        Assert.Equal(0.0, body.GetProperty("notchHz").GetDouble());
    }

    [Fact]
    public async Task A_conflict_prints_the_gateways_reason_and_exit_code_1()
    {
        await using FakeGateway gateway = await FakeGateway.StartAsync();
        gateway.On("POST /api/impedance", 409, """{"error":"the simulated source has no impedance check"}""");

        (int code, _, string error) = await RunAsync(gateway, "impedance", "on", "--token", "t");

        Assert.Equal(1, code);
        Assert.Equal("POST /api/impedance: 409 the simulated source has no impedance check", error.TrimEnd('\n'));
        Assert.Equal("""{"on":true}""", Assert.Single(gateway.Requests).Body);
    }

    [Fact]
    public async Task Leave_and_marker_post_the_address_and_the_text()
    {
        await using FakeGateway gateway = await FakeGateway.StartAsync();
        gateway.On("POST /api/nodes/leave", 200, $$"""{"address":"{{ContractSamples.Processing}}","state":"Leaving"}""");
        gateway.On("POST /api/recordings/marker", 200, """{"ok":true}""");

        (int leave, string left, _) = await RunAsync(gateway, "leave", ContractSamples.Processing, "--token", "t");
        (int marker, string marked, _) = await RunAsync(gateway, "marker", "eyes", "closed", "--token", "t");

        Assert.Equal(0, leave);
        Assert.Equal($"node {ContractSamples.Processing} is Leaving", left.TrimEnd());
        Assert.Equal(0, marker);
        Assert.Equal("marker added: eyes closed", marked.TrimEnd());
        FakeGateway.Request[] requests = gateway.Requests.ToArray();
        Assert.Equal($$"""{"address":"{{ContractSamples.Processing}}"}""", requests[0].Body);
        Assert.Equal("""{"text":"eyes closed"}""", requests[1].Body);
    }

    [Fact]
    public async Task Console_once_in_a_redirected_terminal_prints_one_table_with_rates_from_two_snapshots()
    {
        await using FakeGateway gateway = await FakeGateway.StartAsync();
        int calls = 0;
        // Each GET is a snapshot one second later with 4000 more samples and 5 more drops on the alpha stage.
        gateway.On("GET /api/cluster", () =>
        {
            int n = Interlocked.Increment(ref calls) - 1;
            return new FakeGateway.Answer(200, ContractSamples.Cluster(T0.AddSeconds(n), samples: 400_000 + 4000L * n, alphaDropped: 5L * n));
        });

        (int code, string output, string error) = await RunAsync(gateway, "console", "--once");

        Assert.Equal(0, code);
        Assert.Equal("", error);
        Assert.Equal(2, calls);
        Assert.Single(output.Split('\n'), l => l.Contains("EEG lab at", StringComparison.Ordinal));
        Assert.Contains("4,000 / 4,000", output);
        Assert.Contains($"! stage alpha on {ContractSamples.Processing} drops 5 frames/s (drop-oldest)", output);
    }

    [Fact]
    public async Task A_gateway_without_the_cluster_api_is_told_apart_from_a_missing_stage()
    {
        await using FakeGateway gateway = await FakeGateway.StartAsync();
        gateway.On("POST /api/stages/nope/restart", 404, """{"error":"no stage named nope in the lab (stages: alpha)"}""");

        (int missing, _, string missingError) = await RunAsync(gateway, "stage", "restart", "nope", "--token", "t");
        (int old, _, string oldError) = await RunAsync(gateway, "nodes");

        Assert.Equal(1, missing);
        Assert.Equal("POST /api/stages/nope/restart: 404 no stage named nope in the lab (stages: alpha)", missingError.TrimEnd('\n'));
        Assert.Equal(1, old);
        Assert.Contains("GET /api/nodes: 404", oldError);
    }
}
