using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Eeg.Tests.MultiNode.MultiProcess;

/// <summary>
/// The three-node lab as three processes on 127.0.0.1, started and stopped with deploy/local-lab.sh
/// (the script a lab uses), on free ports, in a folder of its own, with the pattern signal and a
/// recorder that starts by itself. Reads the gateway's /status.
/// </summary>
internal sealed class LocalLab : IAsyncDisposable
{
    public const int Channels = 8;

    /// <summary>The gateway's control token in the lab (EEG_CONTROL_TOKEN), so no test reads or writes the user's token file.</summary>
    public const string ControlToken = "local-lab-tests-control-token";

    /// <summary>The processing node's EEG_CONFIG_OVERRIDES unless a test gives its own (no spaces: the script splits on them).</summary>
    public const string DefaultProcessingOverrides = "recorder{auto-start=on,formats=[bdf]}";
    private static readonly HttpClient s_http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private readonly Dictionary<string, string> _environment;

    /// <param name="processingOverrides">EEG_CONFIG_OVERRIDES of the processing node (HOCON without spaces).</param>
    /// <param name="processingEnvironment">More "VAR=value" words for the processing node.</param>
    public LocalLab(string processingOverrides = DefaultProcessingOverrides, string processingEnvironment = "")
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("eeg-lab-").FullName;
        RecordingDirectory = Path.Combine(Directory, "recordings");
        int[] ports = FreePorts(4);
        HttpPort = ports[3];
        string configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        _environment = new Dictionary<string, string>
        {
            ["EEG_LAB_DIR"] = Directory,
            ["EEG_LAB_CONFIGURATION"] = configuration,
            ["EEG_LAB_NO_BUILD"] = "1",
            ["EEG_SIGNAL"] = "pattern",
            ["EEG_CHANNELS"] = Channels.ToString(),
            ["EEG_CLUSTER_SEEDS"] = $"akka.tcp://eeg@127.0.0.1:{ports[0]}",
            ["EEG_SPOOL_DIRECTORY"] = Path.Combine(Directory, "spool"),
            ["EEG_LAB_ENV_ACQUISITION"] = $"EEG_CLUSTER_PORT={ports[0]}",
            ["EEG_LAB_ENV_PROCESSING"] = $"EEG_CLUSTER_PORT={ports[1]} EEG_RECORDING_DIRECTORY={RecordingDirectory} EEG_CONFIG_OVERRIDES={processingOverrides} {processingEnvironment}".TrimEnd(),
            ["EEG_LAB_ENV_GATEWAY"] = $"EEG_CLUSTER_PORT={ports[2]} EEG_HTTP_PORT={HttpPort}",
            ["EEG_HTTP_PORT"] = HttpPort.ToString(),
            ["EEG_CONTROL_TOKEN"] = ControlToken,
        };
    }

    public string Directory { get; }
    public string RecordingDirectory { get; }
    public int HttpPort { get; }
    public Uri BaseAddress => new($"http://127.0.0.1:{HttpPort}/");

    public Task StartAsync(params string[] nodes) => RunAsync(["start", .. nodes]);
    public Task StopAsync(params string[] nodes) => RunAsync(["stop", .. nodes]);
    public Task KillAsync(string node) => RunAsync(["kill", node]);

    /// <summary>The gateway's /status, or null while it does not answer.</summary>
    public async Task<JsonElement?> StatusAsync()
    {
        try
        {
            string json = await s_http.GetStringAsync(new Uri(BaseAddress, "status"));
            return JsonDocument.Parse(json).RootElement.Clone();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            return null;
        }
    }

    /// <summary>Polls /status until <paramref name="condition"/> holds; returns the last status (or null).</summary>
    public async Task<JsonElement?> WaitForStatusAsync(Func<JsonElement, bool> condition, TimeSpan timeout)
    {
        DateTime until = DateTime.UtcNow + timeout;
        JsonElement? status = null;
        while (DateTime.UtcNow < until)
        {
            status = await StatusAsync();
            if (status is { } s && Holds(condition, s)) return s;
            await Task.Delay(250);
        }
        return status is { } last && Holds(condition, last) ? last : null;
    }

    // A status without the part asked about (the acquisition node not up yet) does not hold.
    private static bool Holds(Func<JsonElement, bool> condition, JsonElement status)
    {
        try
        {
            return condition(status);
        }
        catch (Exception e) when (e is InvalidOperationException or KeyNotFoundException)
        {
            return false;
        }
    }

    public static JsonElement RemoteSink(JsonElement status, string name) =>
        status.GetProperty("remoteSinks").EnumerateArray().First(s => s.GetProperty("name").GetString() == name);

    public static int MembersUp(JsonElement status) =>
        status.GetProperty("clusterMembers").EnumerateArray().Count(m => m.GetProperty("state").GetString() == "Up" && m.GetProperty("reachable").GetBoolean());

    public string Logs() => string.Join("\n", new[] { "acquisition", "processing", "gateway" }.Select(n =>
    {
        string path = Path.Combine(Directory, n + ".log");
        return File.Exists(path) ? $"--- {n}\n{string.Join("\n", File.ReadLines(path).TakeLast(15))}" : $"--- {n}: no log";
    }));

    /// <summary>The lines of a node's log that contain <paramref name="text"/>.</summary>
    public string LogLines(string node, string text)
    {
        string path = Path.Combine(Directory, node + ".log");
        return File.Exists(path) ? string.Join("\n", File.ReadLines(path).Where(l => l.Contains(text, StringComparison.Ordinal))) : "";
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try { System.IO.Directory.Delete(Directory, recursive: true); }
        catch (IOException) { }
    }

    private async Task RunAsync(string[] arguments)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(RepositoryRoot(), "deploy", "local-lab.sh"));
        foreach (string a in arguments) start.ArgumentList.Add(a);
        foreach ((string key, string value) in _environment) start.Environment[key] = value;
        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"local-lab.sh {string.Join(' ', arguments)} exited with {process.ExitCode}: {await output} {await error}");
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Actors.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("Actors.sln not found above " + AppContext.BaseDirectory);
    }

    private static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToArray();
        foreach (TcpListener l in listeners) l.Start();
        int[] ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        foreach (TcpListener l in listeners) l.Stop();
        return ports;
    }
}
