using System.Diagnostics;
using Eeg.Acquisition.Hosting;
using Eeg.Acquisition.Pipeline;
using Eeg.Pipeline.Configuration;

namespace Eeg.Bench.Latency.Scenarios;

/// <summary>
/// How many times real time the ring and the DSP stage sustain: the free-running simulated source
/// (pattern signal, which costs almost nothing to make) through the ring and the full filter chain,
/// no sinks. 1x = 32 channels x 4000 samples/s.
/// </summary>
public static class ThroughputScenario
{
    public sealed record Result(int FrameSamples, double SamplesPerSecond, double RealTimeMultiple, long Overruns);

    public static Result Run(int frameSamples, TimeSpan duration, string waitStrategy)
    {
        int ringSize = frameSamples == 1 ? 4096 : 64;
        string hocon = $$"""
            pipeline {
              channels = 32
              sample-rate = 4000
              frame-samples = {{frameSamples}}
              ring-size = {{ringSize}}
              wait-strategy = {{waitStrategy}}
              simulated { signal = pattern, free-running = on }
            }
            """;
        PipelineSettings settings = PipelineSettings.FromConfig(ConfigLoader.Load(null, hocon));
        AcquisitionPipeline pipeline = PipelineFactory.Create(settings);
        pipeline.Start();
        Thread.Sleep(500); // warm-up (JIT, tiering) before the counted window; not on a data path
        long startFrames = pipeline.Counters.Frames;
        long startOverruns = pipeline.Counters.Overruns;
        var clock = Stopwatch.StartNew();
        Thread.Sleep(duration);
        long samples = (pipeline.Counters.Frames - startFrames) * frameSamples;
        double seconds = clock.Elapsed.TotalSeconds;
        long overruns = pipeline.Counters.Overruns - startOverruns;
        pipeline.Stop(TimeSpan.FromSeconds(5));
        // A free-running source outruns the DSP by design (its surplus shows as overruns); what
        // went through ring and DSP is the frames published, each fanned out once.
        double processed = samples / seconds;
        return new Result(frameSamples, processed, processed / 4000.0, overruns);
    }
}
