using Eeg.Pipeline.Configuration;

namespace Eeg.Tests.Acquisition.Node.Support;

/// <summary>Pipeline settings for tests: reference.conf with a few keys overridden in HOCON.</summary>
public static class TestSettings
{
    public static PipelineSettings Pipeline(string hocon = "") => PipelineSettings.FromConfig(ConfigLoader.Load(null, hocon));

    public static PipelineSettings Pattern(int channels = 32, int rate = 4000, int frameSamples = 1, bool freeRunning = false, int ringSize = 0, string wait = "yielding", int slabCount = 0) =>
        Pipeline($$"""
            pipeline {
              channels = {{channels}}
              sample-rate = {{rate}}
              frame-samples = {{frameSamples}}
              ring-size = {{ringSize}}
              wait-strategy = {{wait}}
              slab-count = {{slabCount}}
              simulated { signal = pattern, free-running = {{(freeRunning ? "on" : "off")}} }
            }
            """);
}
