using Eeg.Shared.Frames;
using Eeg.Shared.Stages;

namespace Eeg.Plugins.Examples;

/// <summary>
/// Common average reference: every channel minus the mean of the (included) channels at the same
/// sample. The classic way to remove what all electrodes share (the reference electrode's own
/// activity, common-mode hum), at the price of spreading each channel's activity a little onto all.
/// </summary>
/// <remarks>
/// <para>A stage cannot change the frame: other sinks (the recorder, the scope, other stages) read the
/// same memory at the same time, which is why <see cref="FrameView"/> is read-only. So this stage
/// re-references into its own buffer, allocated in <see cref="OnStart"/>, and publishes what it
/// derives from that: "car-rms", the RMS per channel of the re-referenced signal, and "common-mode",
/// the RMS of the removed average, once per <see cref="CommonAverageReferenceSettings.UpdateSeconds"/>.
/// Another stage that wants re-referenced data calls <see cref="Apply"/> on each sample itself (it is
/// a few additions per channel); see plugins/README.md, "A stage that re-references".</para>
/// </remarks>
public sealed class CommonAverageReferenceStage : IStage
{
    private readonly CommonAverageReferenceSettings _settings;
    private bool[] _included = [];
    private float[] _referenced = [];   // one sample, re-referenced
    private double[] _sumSquares = [];  // per channel since the last publication
    private double _commonSumSquares;
    private int _samples;
    private int _samplesPerUpdate;
    private long _nextIndex = -1;
    private float[] _rms = [];
    private readonly float[] _commonRms = new float[1];

    public CommonAverageReferenceStage(CommonAverageReferenceSettings settings)
    {
        _settings = settings;
        if (!(settings.UpdateSeconds > 0)) throw new ArgumentException($"update-seconds must be positive (is {settings.UpdateSeconds})");
    }

    public CommonAverageReferenceStage() : this(new CommonAverageReferenceSettings()) { }

    public void OnStart(StreamDescription stream, IStageContext context)
    {
        int channels = stream.ChannelCount;
        _included = new bool[channels];
        Array.Fill(_included, true);
        foreach (string name in _settings.ExcludeChannels)
        {
            int index = IndexOf(stream, name);
            if (index < 0) throw new InvalidOperationException($"exclude-channels names '{name}', which is not a channel of this stream ({string.Join(", ", stream.ChannelNames)})");
            _included[index] = false;
        }
        if (Array.IndexOf(_included, true) < 0) throw new InvalidOperationException("exclude-channels leaves no channel to average");
        _referenced = new float[channels];
        _sumSquares = new double[channels];
        _rms = new float[channels];
        _samplesPerUpdate = Math.Max(1, (int)Math.Round(_settings.UpdateSeconds * stream.SampleRate));
        Reset();
    }

    public void Process(in FrameView frame, IStageContext context)
    {
        // A jump in the index (lost or dropped samples): start a new accumulation, so each published
        // value covers contiguous samples only.
        if (frame.FirstSampleIndex != _nextIndex) Reset();
        _nextIndex = frame.FirstSampleIndex + frame.SampleCount;

        for (int s = 0; s < frame.SampleCount; s++)
        {
            float mean = Apply(frame.Sample(s), _included, _referenced);
            _commonSumSquares += (double)mean * mean;
            for (int c = 0; c < _referenced.Length; c++)
            {
                _sumSquares[c] += (double)_referenced[c] * _referenced[c];
            }
            if (++_samples == _samplesPerUpdate)
            {
                for (int c = 0; c < _rms.Length; c++) _rms[c] = (float)Math.Sqrt(_sumSquares[c] / _samples);
                _commonRms[0] = (float)Math.Sqrt(_commonSumSquares / _samples);
                long index = frame.FirstSampleIndex + s;
                context.Publish("car-rms", _rms, index);
                context.Publish("common-mode", _commonRms, index);
                Reset();
            }
        }
    }

    /// <summary>
    /// Re-references one sample: <paramref name="destination"/>[c] = <paramref name="sample"/>[c] minus
    /// the mean of the included channels. Returns that mean. Allocation-free; usable from any stage.
    /// </summary>
    public static float Apply(ReadOnlySpan<float> sample, ReadOnlySpan<bool> included, Span<float> destination)
    {
        if (included.Length != sample.Length || destination.Length < sample.Length)
        {
            throw new ArgumentException("sample, included and destination must have one entry per channel");
        }
        double sum = 0;
        int n = 0;
        for (int c = 0; c < sample.Length; c++)
        {
            if (!included[c]) continue;
            sum += sample[c];
            n++;
        }
        float mean = n == 0 ? 0f : (float)(sum / n);
        for (int c = 0; c < sample.Length; c++)
        {
            destination[c] = sample[c] - mean;
        }
        return mean;
    }

    private void Reset()
    {
        Array.Clear(_sumSquares);
        _commonSumSquares = 0;
        _samples = 0;
    }

    internal static int IndexOf(StreamDescription stream, string name)
    {
        for (int i = 0; i < stream.ChannelCount; i++)
        {
            if (string.Equals(stream.ChannelNames[i], name, StringComparison.OrdinalIgnoreCase)) return i;
        }
        return -1;
    }
}
