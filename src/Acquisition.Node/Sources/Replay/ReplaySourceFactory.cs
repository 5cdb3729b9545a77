using Eeg.Pipeline.Configuration;
using Eeg.Processing.Recording;

namespace Eeg.Acquisition.Sources.Replay;

/// <summary>Opens the file pipeline.replay.file names; a file that cannot be read is a clear start-up error.</summary>
public static class ReplaySourceFactory
{
    /// <summary>The replay source and the settings adjusted to the file's channels, rate, gain and labels.</summary>
    public static (ReplaySource Source, PipelineSettings Settings) Create(PipelineSettings settings)
    {
        BdfSampleStream stream;
        try
        {
            stream = BdfSampleStream.Open(settings.Replay.File);
        }
        catch (Exception ex) when (ex is IOException or FormatException or UnauthorizedAccessException)
        {
            throw new ConfigException($"pipeline.replay.file = \"{settings.Replay.File}\" cannot be played: {ex.Message}");
        }
        PipelineSettings forFile = settings.ForStream(stream.ChannelCount, stream.SampleRate, stream.ChannelNames, stream.Gain, stream.ReferenceVolts);
        return (new ReplaySource(stream, settings.Replay.RealTime, settings.WaitStrategy), forFile);
    }
}
