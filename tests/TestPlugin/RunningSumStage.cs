using Eeg.Shared.Frames;
using Eeg.Shared.Stages;

namespace Eeg.Tests.TestPlugin;

/// <summary>Settings of <see cref="RunningSumStage"/>.</summary>
public sealed class RunningSumSettings
{
    /// <summary>Each value is multiplied by this before it is added.</summary>
    public double Scale { get; set; } = 1;

    /// <summary>The output's name.</summary>
    public string Output { get; set; } = "sum";
}

/// <summary>Publishes, per channel, the scaled sum of every value it has seen; emits "started" on start.</summary>
public sealed class RunningSumStage(RunningSumSettings settings) : IStage
{
    private double[] _sums = [];
    private float[] _published = [];

    public void OnStart(StreamDescription stream, IStageContext context)
    {
        _sums = new double[stream.ChannelCount];
        _published = new float[stream.ChannelCount];
        context.Log($"running sum over {stream.ChannelCount} channels");
    }

    public void Process(in FrameView frame, IStageContext context)
    {
        for (int s = 0; s < frame.SampleCount; s++)
        {
            for (int c = 0; c < frame.ChannelCount; c++) _sums[c] += settings.Scale * frame[s, c];
        }
        for (int c = 0; c < _sums.Length; c++) _published[c] = (float)_sums[c];
        context.Publish(settings.Output, _published);
    }
}
