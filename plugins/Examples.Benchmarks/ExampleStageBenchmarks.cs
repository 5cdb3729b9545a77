using BenchmarkDotNet.Attributes;
using Eeg.Shared.Frames;
using Eeg.Shared.Stages;
using Eeg.Shared.Stages.TestKit;

namespace Eeg.Plugins.Examples.Benchmarks;

/// <summary>
/// Cost per frame of each example stage on the lab's stream (32 channels, 4000 samples/s, one-sample
/// frames): the budget is 250 us per frame. "Allocated" must be zero. Results: docs in plugins/README.md
/// and the stages' remarks.
/// </summary>
[MemoryDiagnoser]
public class ExampleStageBenchmarks
{
    public enum Kind { BandPower, CommonAverageReference, BlinkDetector, Decimator }

    [Params(Kind.BandPower, Kind.CommonAverageReference, Kind.BlinkDetector, Kind.Decimator)]
    public Kind Stage { get; set; }

    private StageHarness _harness = null!;
    private float[] _second = null!;

    [GlobalSetup]
    public void Setup()
    {
        StreamDescription stream = TestSignals.Stream(channels: 32, sampleRate: 4000);
        _second = TestSignals.Eeg(stream, 4000);
        IStage stage = Stage switch
        {
            Kind.BandPower => new BandPowerStage(),
            Kind.CommonAverageReference => new CommonAverageReferenceStage(),
            Kind.BlinkDetector => new BlinkDetectorStage(),
            _ => new DecimatorStage(),
        };
        _harness = new StageHarness(stage, stream);
        _harness.Start();
        _harness.FeedAll(_second); // fill windows before measuring
    }

    /// <summary>One second of one-sample frames; reported per frame.</summary>
    [Benchmark(OperationsPerInvoke = 4000)]
    public void OneFrame() => _harness.FeedAll(_second, samplesPerFrame: 1);
}
