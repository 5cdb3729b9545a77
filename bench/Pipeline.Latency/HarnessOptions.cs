using System.Globalization;

namespace Eeg.Bench.Latency;

/// <summary>Command line of the harness. Every option has a default that matches issue 3's set-up.</summary>
public sealed record HarnessOptions
{
    public int Channels { get; init; } = 32;
    public int SampleRate { get; init; } = 4000;
    public int FrameSamples { get; init; } = 1;
    public int RingSize { get; init; } = 0; // automatic: one second of frames
    /// <summary>The ring's and the simulated source's wait strategy.</summary>
    public string WaitStrategy { get; init; } = "yielding";
    /// <summary>The low-latency sink dispatcher's wait strategy.</summary>
    public string SinkWaitStrategy { get; init; } = "yielding";
    /// <summary>inline: the scope is called on the DSP thread (what the node does); actor: through its own actor on the low-latency dispatcher.</summary>
    public string Scope { get; init; } = "inline";
    /// <summary>GCSettings.LatencyMode for the run: interactive (the default) or sustained-low-latency.</summary>
    public string GcLatencyMode { get; init; } = "interactive";
    /// <summary>Hot threads at raised priority (default) or normal.</summary>
    public bool NormalPriority { get; init; }
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(60);
    public TimeSpan WarmUp { get; init; } = TimeSpan.FromSeconds(3);
    public string Mode { get; init; } = "latency";
    public string? JsonPath { get; init; }
    public bool Quick { get; init; }
    public string[] Scenarios { get; init; } = ["pipeline", "naive", "actorOnly"];

    public static HarnessOptions Parse(string[] args)
    {
        var options = new HarnessOptions();
        for (int i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            options = args[i] switch
            {
                "--quick" => options with { Quick = true, Duration = TimeSpan.FromSeconds(10), WarmUp = TimeSpan.FromSeconds(2) },
                "--json" => options with { JsonPath = Value() },
                "--seconds" => options with { Duration = TimeSpan.FromSeconds(double.Parse(Value(), CultureInfo.InvariantCulture)) },
                "--warm-up" => options with { WarmUp = TimeSpan.FromSeconds(double.Parse(Value(), CultureInfo.InvariantCulture)) },
                "--channels" => options with { Channels = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--rate" => options with { SampleRate = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--frame-samples" => options with { FrameSamples = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--ring-size" => options with { RingSize = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--wait-strategy" => options with { WaitStrategy = Value() },
                "--sink-wait-strategy" => options with { SinkWaitStrategy = Value() },
                "--scope" => options with { Scope = Value() is "actor" or "inline" ? args[i] : throw new ArgumentException("--scope inline or actor") },
                "--gc-latency-mode" => options with { GcLatencyMode = Value() },
                "--normal-priority" => options with { NormalPriority = true },
                "--throughput" => options with { Mode = "throughput" },
                "--timer-slack" => options with { Mode = "timer-slack" },
                "--only" => options with { Scenarios = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) },
                _ => throw new ArgumentException($"unknown option {args[i]}; see bench/Pipeline.Latency/README in docs/perf.md"),
            };
        }
        return options;
    }
}
