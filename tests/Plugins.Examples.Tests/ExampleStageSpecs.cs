using Eeg.Plugins.Examples;
using Eeg.Shared.Stages.TestKit;
using Xunit.Abstractions;

namespace Eeg.Tests.Plugins.Examples;

// The conformance kit for every example stage: each class is all a stage author writes to inherit
// the kit's tests (gaps, zeros, full scale, zero allocation per call, frame lifetime).

public sealed class BandPowerStageSpec(ITestOutputHelper output) : StageSpec<BandPowerStage>(output)
{
    protected override BandPowerStage CreateStage() => new(new BandPowerSettings { WindowSeconds = 1, UpdateSeconds = 0.25 });
    protected override bool AllocationFree => true;
}

public sealed class CommonAverageReferenceStageSpec(ITestOutputHelper output) : StageSpec<CommonAverageReferenceStage>(output)
{
    protected override CommonAverageReferenceStage CreateStage() => new(new CommonAverageReferenceSettings { ExcludeChannels = ["AF7", "AF8"] });
    protected override bool AllocationFree => true;
}

public sealed class BlinkDetectorStageSpec(ITestOutputHelper output) : StageSpec<BlinkDetectorStage>(output)
{
    protected override BlinkDetectorStage CreateStage() => new(new BlinkDetectorSettings());
    protected override bool AllocationFree => true;
}

public sealed class DecimatorStageSpec(ITestOutputHelper output) : StageSpec<DecimatorStage>(output)
{
    protected override DecimatorStage CreateStage() => new(new DecimatorSettings { OutputRate = 250 });
    protected override bool AllocationFree => true;
}

/// <summary>The kit on a different shape of stream: 8 channels at 250 samples/s, frames of 10 samples.</summary>
public sealed class BandPowerStageOnASmallStreamSpec(ITestOutputHelper output) : StageSpec<BandPowerStage>(output)
{
    protected override BandPowerStage CreateStage() => new(new BandPowerSettings { WindowSeconds = 2, UpdateSeconds = 0.5 });
    protected override bool AllocationFree => true;
    protected override Eeg.Shared.Frames.StreamDescription Stream => TestSignals.Stream(channels: 8, sampleRate: 250, frameSamples: 10);
    protected override int SamplesPerFrame => 10;
    protected override double WarmUpSeconds => 5;
}
