using Eeg.Acquisition.Dsp;
using Eeg.Acquisition.FanOut;
using Eeg.Acquisition.Pipeline;
using Eeg.Acquisition.Sources;
using Eeg.Acquisition.Sources.Ads1299;
using Eeg.Acquisition.Sources.Replay;
using Eeg.Acquisition.Sources.Simulated;
using Eeg.Pipeline.Configuration;

namespace Eeg.Acquisition.Hosting;

/// <summary>Builds an acquisition pipeline from settings: the source they name, the DSP stage, an empty fan-out.</summary>
public static class PipelineFactory
{
    public static AcquisitionPipeline Create(PipelineSettings settings) => Create(settings, LinuxAds1299Hardware.Instance);

    /// <summary>The same, with the ADS1299's buses opened by <paramref name="ads1299"/> (tests pass an emulated chip).</summary>
    internal static AcquisitionPipeline Create(PipelineSettings settings, IAds1299Hardware ads1299)
    {
        ISampleSource source;
        if (settings.Source == SourceKind.Replay)
        {
            // The file decides channels, rate, gain and labels.
            (source, settings) = ReplaySourceFactory.Create(settings);
        }
        else
        {
            source = CreateLiveSource(settings, MicrovoltsPerCount(settings), ads1299);
        }
        var dsp = new DspStage(settings.Dsp, settings.Channels, settings.SampleRate, MicrovoltsPerCount(settings));
        return new AcquisitionPipeline(settings, source, new FrameFanOut(), dsp);
    }

    /// <summary>ADS1299: 1 LSB = 2 * Vref / gain / 2^24, in microvolts.</summary>
    public static double MicrovoltsPerCount(PipelineSettings settings) => 2.0 * settings.ReferenceVolts / settings.Gain / (1 << 24) * 1e6;

    private static ISampleSource CreateLiveSource(PipelineSettings settings, double microvoltsPerCount, IAds1299Hardware ads1299) => settings.Source switch
    {
        SourceKind.Simulated => new SimulatedSource(settings.Channels, settings.SampleRate, settings.Simulated, settings.WaitStrategy, microvoltsPerCount),
        SourceKind.Ads1299 => Ads1299SourceFactory.Create(settings, ads1299),
        _ => throw ConfigException.Invalid("pipeline.source", settings.Source.ToString(), "simulated, ads1299 or replay"),
    };
}
