using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace Eeg.Tests.MultiNode.MultiProcess;

/// <summary>
/// The three-node lab for the cluster console's tests, started once for the class: no recording
/// until one is started, a band-power stage "alpha" on the processing node, and LocalLab's control
/// token. Runs the console as the operator does: <c>dotnet Gateway.Node.dll status ...</c>, a process
/// of its own that only speaks HTTP to the gateway.
/// </summary>
public sealed class ConsoleLab : IAsyncLifetime
{
    public const string Token = LocalLab.ControlToken;
    public const string Stage = "alpha";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);
    private static readonly HttpClient s_http = new() { Timeout = TimeSpan.FromSeconds(10) };

    private LocalLab? _lab;
    private string? _stages;

    internal LocalLab Lab => _lab ?? throw new InvalidOperationException("the lab did not start");

    public Uri BaseAddress => Lab.BaseAddress;

    public async Task InitializeAsync()
    {
        // The example stages as the processing node's stage directory, as a lab would deploy them.
        _stages = Directory.CreateTempSubdirectory("eeg-console-lab-stages-").FullName;
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Eeg.Plugins.Examples.dll"), Path.Combine(_stages, "Eeg.Plugins.Examples.dll"));
        // No recorder auto-start here (reference.conf's default): the console starts the recording.
        _lab = new LocalLab(
            processingOverrides: $"pipeline{{stages=[{{name={Stage},type=Eeg.Plugins.Examples.BandPowerStage}}]}}",
            processingEnvironment: $"EEG_STAGE_DIRECTORY={_stages}");
        await _lab.StartAsync();
        await HealthyAsync();
    }

    /// <summary>
    /// Waits until the three nodes are Up and answer, the stage runs and frames reach the recorder,
    /// and returns that snapshot. Each test starts with it: on a machine shared with other builds a
    /// starved node can drop out (the cluster downs it; a downed acquisition node exits for good), and
    /// these tests are about the console, not about that: after a minute without a healthy lab, the
    /// nodes that no longer run are started again (local-lab.sh start skips running ones), and that is
    /// noted in <see cref="Interruptions"/> for the test's output.
    /// </summary>
    public async Task<JsonElement> HealthyAsync()
    {
        if (await WaitForClusterAsync(Healthy, TimeSpan.FromSeconds(60)) is { } ready) return ready;
        Interruptions.Add($"{DateTime.UtcNow:HH:mm:ss} the lab was not healthy for 60 s; starting the nodes that stopped. /api/cluster: {await ClusterTextAsync()}\n{Lab.Logs()}");
        await Lab.StartAsync();
        return await WaitForClusterAsync(Healthy, Patience)
            ?? throw new InvalidOperationException("the three nodes never all answered /api/cluster with the stage running:\n" + await ClusterTextAsync() + "\n" + Lab.Logs());
    }

    private static bool Healthy(JsonElement c) =>
        Nodes(c).Count(n => n.GetProperty("state").GetString() == "Up" && n.GetProperty("reachable").GetBoolean() && n.GetProperty("answered").GetBoolean()) == 3
        && Sink(c, Stage).GetProperty("running").GetBoolean()
        && Sink(c, "recorder").GetProperty("enqueued").GetInt64() > 4000;

    /// <summary>Times the lab had to be started again, with the logs of then.</summary>
    public List<string> Interruptions { get; } = [];

    public async Task DisposeAsync()
    {
        if (_lab is not null) await _lab.DisposeAsync();
        if (_stages is not null) Directory.Delete(_stages, recursive: true);
    }

    /// <summary>GET /api/cluster, or null while the gateway does not answer.</summary>
    public async Task<JsonElement?> ClusterAsync()
    {
        try
        {
            return await s_http.GetFromJsonAsync<JsonElement>(new Uri(Lab.BaseAddress, "api/cluster"));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            return null;
        }
    }

    private async Task<string> ClusterTextAsync() => (await ClusterAsync())?.ToString() ?? "(no answer from /api/cluster)";

    /// <summary>Polls /api/cluster until <paramref name="condition"/> holds (null after the deadline).</summary>
    public async Task<JsonElement?> WaitForClusterAsync(Func<JsonElement, bool> condition, TimeSpan timeout)
    {
        DateTime until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            if (await ClusterAsync() is { } c && Holds(condition, c)) return c;
            await Task.Delay(250);
        }
        return null;
    }

    private static bool Holds(Func<JsonElement, bool> condition, JsonElement c)
    {
        try
        {
            return condition(c);
        }
        catch (Exception e) when (e is InvalidOperationException or KeyNotFoundException)
        {
            return false;
        }
    }

    public static IEnumerable<JsonElement> Nodes(JsonElement cluster) => cluster.GetProperty("nodes").EnumerateArray();

    /// <summary>The sink or stage <paramref name="name"/> on whichever node runs it.</summary>
    public static JsonElement Sink(JsonElement cluster, string name) =>
        Nodes(cluster).Where(n => n.TryGetProperty("sinks", out JsonElement s) && s.ValueKind == JsonValueKind.Array)
            .SelectMany(n => n.GetProperty("sinks").EnumerateArray())
            .First(s => s.GetProperty("name").GetString() == name);

    public static JsonElement[] Recordings(JsonElement cluster) =>
        Nodes(cluster).Where(n => n.TryGetProperty("recordings", out JsonElement r) && r.ValueKind == JsonValueKind.Array)
            .SelectMany(n => n.GetProperty("recordings").EnumerateArray()).ToArray();

    /// <summary>Runs <c>Gateway.Node ARGS --url GATEWAY</c> as a process; no token unless the arguments carry one.</summary>
    public async Task<(int Code, string Out, string Error)> ConsoleAsync(params string[] args)
    {
        string configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        string dll = Path.Combine(RepositoryRoot(), "src", "Gateway.Node", "bin", configuration, "net10.0", "Gateway.Node.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        foreach (string a in args) start.ArgumentList.Add(a);
        start.ArgumentList.Add("--url");
        start.ArgumentList.Add(Lab.BaseAddress.ToString());
        // The console must not find a token the test did not give it: none in the environment, and a
        // home folder without ~/.config/eeg/control-token.
        start.Environment.Remove("EEG_CONTROL_TOKEN");
        start.Environment.Remove("EEG_GATEWAY_URL");
        start.Environment["HOME"] = Lab.Directory;
        start.Environment["COLUMNS"] = "220";
        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Actors.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("Actors.sln not found above " + AppContext.BaseDirectory);
    }
}
