using System.Globalization;
using System.Runtime;
using System.Text.Json;
using Eeg.Bench.Latency.Scenarios;

namespace Eeg.Bench.Latency;

/// <summary>
/// The end-to-end harness of issue 3: our pipeline against the seed's naive design and an actor-only
/// design, in one run, on this machine. `--quick` is CI's smoke run; the full run is what
/// docs/perf.md quotes. Exit code 1 if the hot path allocated (the invariant), 0 otherwise.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        HarnessOptions options;
        try
        {
            options = HarnessOptions.Parse(args);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException)
        {
            Console.Error.WriteLine(ex.Message);
            return 2;
        }

        GCSettings.LatencyMode = options.GcLatencyMode switch
        {
            "sustained-low-latency" => GCLatencyMode.SustainedLowLatency,
            "batch" => GCLatencyMode.Batch,
            _ => GCLatencyMode.Interactive,
        };
        Eeg.Acquisition.Pipeline.AcquisitionPipeline.RaiseHotThreadPriority = !options.NormalPriority;
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}, " +
                          $"GC {(GCSettings.IsServerGC ? "server" : "workstation")} concurrent={AppContext.TryGetSwitch("System.GC.Concurrent", out bool c) && c} latency-mode={GCSettings.LatencyMode}, hot threads {(options.NormalPriority ? "normal" : "raised")} priority, load {LoadAverage()}");
        if (options.Mode == "throughput") return RunThroughput(options);
        if (options.Mode == "timer-slack")
        {
            Console.WriteLine("clock_nanosleep lateness for 250 us deadlines (4000 deadlines each):");
            Console.WriteLine("| timer slack | p50 us | p99 us | p99.9 us | max us |");
            Console.WriteLine("|---|---:|---:|---:|---:|");
            foreach (var r in TimerSlackScenario.Run())
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {r.Slack} | {r.Lateness.P50:0.0} | {r.Lateness.P99:0.0} | {r.Lateness.P999:0.0} | {r.Lateness.Max:0.0} |"));
            }
            return 0;
        }

        Console.WriteLine($"latency: {options.Channels} ch x {options.SampleRate} SPS, {options.FrameSamples} sample(s)/frame, wait {options.WaitStrategy}, scope {options.Scope}{(options.Scope == "actor" ? " on a " + options.SinkWaitStrategy + " dispatcher" : "")}, {options.Duration.TotalSeconds:0} s after {options.WarmUp.TotalSeconds:0} s warm-up");
        string directory = Directory.CreateTempSubdirectory("eeg-latency-").FullName;
        var results = new Dictionary<string, ScenarioResult>();
        try
        {
            foreach (string scenario in options.Scenarios)
            {
                Console.WriteLine($"running {scenario} ...");
                results[scenario] = scenario switch
                {
                    "pipeline" => await new OurPipelineScenario(options).RunAsync(directory),
                    "naive" => await BaselineScenarios.NaiveAsync(options, directory),
                    "actorOnly" => await BaselineScenarios.ActorOnlyAsync(options, directory),
                    _ => throw new ArgumentException($"unknown scenario {scenario}: pipeline, naive or actorOnly"),
                };
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }

        PrintTable(results);
        if (options.JsonPath is not null)
        {
            File.WriteAllText(options.JsonPath, JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true }));
            Console.WriteLine($"wrote {options.JsonPath}");
        }
        if (results.TryGetValue("pipeline", out ScenarioResult? ours) && ours.HotPathBytesPerFrame != 0)
        {
            Console.Error.WriteLine($"FAIL: the hot path allocated {ours.HotPathBytesPerFrame:0.###} bytes per frame (must be 0)");
            return 1;
        }
        return 0;
    }

    /// <summary>The 1-minute load average (Linux), so a result says how busy the machine was.</summary>
    public static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "?";
        }
    }

    private static int RunThroughput(HarnessOptions options)
    {
        TimeSpan duration = options.Quick ? TimeSpan.FromSeconds(3) : TimeSpan.FromSeconds(10);
        Console.WriteLine($"throughput: free-running pattern source -> ring -> DSP (32 ch; 1x = 32 ch x 4000 SPS), wait {options.WaitStrategy}, {duration.TotalSeconds:0} s each");
        Console.WriteLine("| samples/frame | samples/s | x real time |");
        Console.WriteLine("|---:|---:|---:|");
        foreach (int frameSamples in new[] { 1, 400 })
        {
            ThroughputScenario.Result r = ThroughputScenario.Run(frameSamples, duration, options.WaitStrategy);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {r.FrameSamples} | {r.SamplesPerSecond:0} | {r.RealTimeMultiple:0.0}x |"));
        }
        return 0;
    }

    private static void PrintTable(IReadOnlyDictionary<string, ScenarioResult> results)
    {
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine();
        Console.WriteLine("| scenario | frames | p50 us | p99 us | p99.9 us | max us | recorder p99 us | bytes/frame (process) | bytes/frame (hot path) | gen0 | gen1 | gen2 | overruns | dropped |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach ((string name, ScenarioResult r) in results)
        {
            Console.WriteLine(string.Create(inv,
                $"| {name} | {r.Frames} | {r.P50Us:0.0} | {r.P99Us:0.0} | {r.P999Us:0.0} | {r.MaxUs:0.0} | {r.RecorderP99Us:0.0} | {r.AllocBytesPerFrame:0.0} | {r.HotPathBytesPerFrame:0.0} | {r.Gen0} | {r.Gen1} | {r.Gen2} | {r.Overruns} | {r.Dropped} |"));
        }
        if (!results.TryGetValue("pipeline", out ScenarioResult? ours)) return;
        Console.WriteLine();
        foreach ((string name, ScenarioResult r) in results.Where(kv => kv.Key != "pipeline"))
        {
            string alloc = ours.AllocBytesPerFrame > 0 ? $"{r.AllocBytesPerFrame / ours.AllocBytesPerFrame:0.0}x" : "inf (ours allocates 0)";
            Console.WriteLine(string.Create(inv, $"{name} / ours: p99 {r.P99Us / Math.Max(0.001, ours.P99Us):0.0}x, p99.9 {r.P999Us / Math.Max(0.001, ours.P999Us):0.0}x, process allocation {alloc}"));
        }
    }
}
