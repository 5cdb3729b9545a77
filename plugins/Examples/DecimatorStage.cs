using Eeg.Shared.Frames;
using Eeg.Shared.Stages;

namespace Eeg.Plugins.Examples;

/// <summary>
/// Feeds a second, slower stream: low-pass filters every channel (windowed-sinc FIR, cut-off at 0.4 x
/// the output rate, so nothing aliases) and keeps one sample in <c>factor</c>. Publishes blocks of
/// <see cref="DecimatorSettings.BlockSeconds"/> of output as one output, sample-major (all channels of
/// output sample 0, then of sample 1 ...), stamped with the input sample index of the block's last
/// output sample. Output sample k of the stream is input sample k * factor, delayed by the filter's
/// (taps - 1) / 2 samples (linear phase: every frequency is delayed alike).
/// </summary>
/// <remarks>
/// <para>Cost: the filter runs only at output samples: taps x channels multiply-adds per output sample
/// (129 x 32 at 4000 -> 250 Hz: ~1 M per second), not per input sample.</para>
/// <para>The history is stored twice, side by side (a "double ring"): writing each sample at i and
/// i + taps lets the filter read the last taps samples as one contiguous run, without a wrap-around
/// per tap. It costs twice the history's memory (33 kB for 129 taps x 32 channels) and a second copy
/// of each sample; it made one output sample 0.68x as long (2.97 us against 4.40 us,
/// KernelBenchmarks.FirDoubleRing vs FirModuloRing, ShortRun, 2-core shared x64, 2026-11-27).
/// Whole stage: ~0.3 us per input frame (ExampleStageBenchmarks, Decimator).</para>
/// <para>Gaps: on a jump in the sample index the block so far is published (short) and the filter
/// restarts, so a consumer sees where the slow stream breaks.</para>
/// </remarks>
public sealed class DecimatorStage : IStage
{
    private readonly DecimatorSettings _settings;
    private int _channels;
    private int _factor;
    private float[] _taps = [];
    private float[] _history = [];  // [2 * taps][channels], sample-major, written twice
    private int _write;             // 0 .. taps-1
    private int _filled;
    private float[] _block = [];    // [blockSamples][channels]
    private int _blockSamples;
    private int _inBlock;
    private long _lastOutputIndex;
    private long _nextIndex = -1;

    public DecimatorStage(DecimatorSettings settings)
    {
        _settings = settings;
        if (settings.OutputRate < 1) throw new ArgumentException($"output-rate must be at least 1 Hz (is {settings.OutputRate})");
        if (!(settings.BlockSeconds > 0)) throw new ArgumentException($"block-seconds must be positive (is {settings.BlockSeconds})");
        if (string.IsNullOrWhiteSpace(settings.Output)) throw new ArgumentException("output must be a name");
    }

    public DecimatorStage() : this(new DecimatorSettings()) { }

    /// <summary>Input samples per output sample.</summary>
    public int Factor => _factor;

    /// <summary>The filter's delay in input samples.</summary>
    public int DelaySamples => (_taps.Length - 1) / 2;

    public void OnStart(StreamDescription stream, IStageContext context)
    {
        int fs = stream.SampleRate;
        if (fs % _settings.OutputRate != 0)
        {
            throw new InvalidOperationException($"output-rate {_settings.OutputRate} Hz does not divide the stream's {fs} Hz");
        }
        _channels = stream.ChannelCount;
        _factor = fs / _settings.OutputRate;
        _taps = LowPass(_factor == 1 ? 1 : 8 * _factor + 1, 0.4 * _settings.OutputRate / fs);
        _history = new float[2 * _taps.Length * _channels];
        _blockSamples = Math.Max(1, (int)Math.Round(_settings.BlockSeconds * _settings.OutputRate));
        _block = new float[_blockSamples * _channels];
        Restart();
    }

    public void Process(in FrameView frame, IStageContext context)
    {
        if (frame.FirstSampleIndex != _nextIndex)
        {
            PublishBlock(context);
            Restart();
        }
        _nextIndex = frame.FirstSampleIndex + frame.SampleCount;

        int taps = _taps.Length;
        for (int s = 0; s < frame.SampleCount; s++)
        {
            ReadOnlySpan<float> sample = frame.Sample(s);
            sample.CopyTo(_history.AsSpan(_write * _channels, _channels));
            sample.CopyTo(_history.AsSpan((_write + taps) * _channels, _channels));
            if (++_write == taps) _write = 0;
            if (_filled < taps) _filled++;

            long index = frame.FirstSampleIndex + s;
            if (_filled < taps || index % _factor != 0) continue;

            // The last `taps` samples, oldest first, are rows _write .. _write + taps - 1.
            Span<float> output = _block.AsSpan(_inBlock * _channels, _channels);
            output.Clear();
            for (int t = 0; t < taps; t++)
            {
                float h = _taps[taps - 1 - t]; // newest sample meets _taps[0]
                ReadOnlySpan<float> row = _history.AsSpan((_write + t) * _channels, _channels);
                for (int c = 0; c < _channels; c++) output[c] += h * row[c];
            }
            _lastOutputIndex = index;
            if (++_inBlock == _blockSamples) PublishBlock(context);
        }
    }

    private void PublishBlock(IStageContext context)
    {
        if (_inBlock == 0) return;
        context.Publish(_settings.Output, _block.AsSpan(0, _inBlock * _channels), _lastOutputIndex);
        _inBlock = 0;
    }

    private void Restart()
    {
        _write = 0;
        _filled = 0;
        _inBlock = 0;
    }

    /// <summary>A Hamming-windowed sinc low-pass of <paramref name="count"/> taps (odd), cut-off as a fraction of the input rate, unit gain at DC.</summary>
    internal static float[] LowPass(int count, double cutoff)
    {
        var h = new double[count];
        int m = count - 1;
        double sum = 0;
        for (int i = 0; i < count; i++)
        {
            double x = i - m / 2.0;
            double sinc = x == 0 ? 2 * cutoff : Math.Sin(2 * Math.PI * cutoff * x) / (Math.PI * x);
            double window = m == 0 ? 1 : 0.54 - 0.46 * Math.Cos(2 * Math.PI * i / m);
            h[i] = sinc * window;
            sum += h[i];
        }
        var taps = new float[count];
        for (int i = 0; i < count; i++) taps[i] = (float)(h[i] / sum);
        return taps;
    }
}
