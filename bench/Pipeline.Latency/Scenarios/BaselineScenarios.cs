using Eeg.Bench.Latency.Baselines;
using Eeg.Pipeline.Configuration;
using Eeg.Pipeline.Metrics;

namespace Eeg.Bench.Latency.Scenarios;

/// <summary>Runs the two baselines under the same measurement as ours.</summary>
public static class BaselineScenarios
{
    private static double MicrovoltsPerCount => 2.0 * 4.5 / 24 / (1 << 24) * 1e6;

    public static async Task<ScenarioResult> NaiveAsync(HarnessOptions o, string directory)
    {
        var naive = new NaivePipeline(o.Channels, o.SampleRate, o.FrameSamples, DspSettings.Default, MicrovoltsPerCount, Path.Combine(directory, "naive.bin"));
        MeasurementWindow? window = null;
        await naive.RunAsync(o.WarmUp + o.Duration, o.WarmUp, Pacing(o), () =>
        {
            naive.ScopeLatency.Reset();
            naive.RecorderLatency.Reset();
            window = MeasurementWindow.Begin(null, Interlocked.Read(ref naive.ScopeFrames));
        });
        return Result(window!.Finish(null, Interlocked.Read(ref naive.ScopeFrames)), naive.ScopeLatency, naive.RecorderLatency);
    }

    public static async Task<ScenarioResult> ActorOnlyAsync(HarnessOptions o, string directory)
    {
        var actors = new ActorOnlyPipeline(o.Channels, o.SampleRate, o.FrameSamples, DspSettings.Default, MicrovoltsPerCount, Path.Combine(directory, "actor-only.bin"));
        MeasurementWindow? window = null;
        MeasurementWindow.End? end = null;
        await actors.RunAsync(o.WarmUp + o.Duration, o.WarmUp, Pacing(o), () =>
        {
            actors.ScopeLatency.Reset();
            actors.RecorderLatency.Reset();
            window = MeasurementWindow.Begin(null, Interlocked.Read(ref actors.ScopeFrames));
        }, () => end = window!.Finish(null, Interlocked.Read(ref actors.ScopeFrames)));
        return Result(end!, actors.ScopeLatency, actors.RecorderLatency);
    }

    private static WaitStrategyKind Pacing(HarnessOptions o) => o.WaitStrategy switch
    {
        "busy-spin" => WaitStrategyKind.BusySpin,
        "blocking" => WaitStrategyKind.Blocking,
        _ => WaitStrategyKind.Yielding,
    };

    private static ScenarioResult Result(MeasurementWindow.End end, LatencyRecorder scope, LatencyRecorder recorder)
    {
        var s = scope.Snapshot();
        return new ScenarioResult(s.P50, s.P99, s.P999, s.Max, end.ProcessBytesPerFrame, end.Gen0, end.Gen1, end.Gen2, 0, 0)
        {
            Frames = end.Frames,
            RecorderP99Us = recorder.Snapshot().P99,
            HotPathBytesPerFrame = end.HotPathBytesPerFrame,
            AllocScope = "whole process (every stage of the baseline is on the hot path)",
        };
    }
}
