using System.Text.Json.Serialization;

namespace Eeg.Bench.Latency;

/// <summary>One scenario's measurements (the JSON keys are fixed by issue 3).</summary>
public sealed record ScenarioResult(
    [property: JsonPropertyName("p50Us")] double P50Us,
    [property: JsonPropertyName("p99Us")] double P99Us,
    [property: JsonPropertyName("p999Us")] double P999Us,
    [property: JsonPropertyName("maxUs")] double MaxUs,
    [property: JsonPropertyName("allocBytesPerFrame")] double AllocBytesPerFrame,
    [property: JsonPropertyName("gen0")] int Gen0,
    [property: JsonPropertyName("gen1")] int Gen1,
    [property: JsonPropertyName("gen2")] int Gen2,
    [property: JsonPropertyName("overruns")] long Overruns,
    [property: JsonPropertyName("dropped")] long Dropped)
{
    /// <summary>Frames that reached the measured sink during the run.</summary>
    [JsonPropertyName("frames")] public long Frames { get; init; }

    /// <summary>Latency at the second sink (the recorder), p99, where the scenario has one.</summary>
    [JsonPropertyName("recorderP99Us")] public double RecorderP99Us { get; init; }

    /// <summary>Bytes allocated per frame on the reader and DSP threads (ours); the whole process for the baselines.</summary>
    [JsonPropertyName("hotPathBytesPerFrame")] public double HotPathBytesPerFrame { get; init; }

    /// <summary>What the allocation figure covers.</summary>
    [JsonPropertyName("allocScope")] public string AllocScope { get; init; } = "";
}
