using Eeg.Shared.Frames;
using Eeg.Shared.Stages;

namespace Eeg.Plugins.Examples;

/// <summary>
/// Band power per channel (delta, theta, alpha, beta, gamma) over a sliding window: a Hann-windowed
/// periodogram (mean removed, zero-padded to a power of two), summed over each band's bins. Matches
/// <c>scipy.signal.periodogram(x, fs, window="hann", nfft=..., detrend="constant")</c> integrated over
/// the band. Publishes five outputs, "delta" ... "gamma", one value per channel in uV^2, every
/// <see cref="BandPowerSettings.UpdateSeconds"/>.
/// </summary>
/// <remarks>
/// <para>Memory: every buffer is allocated in <see cref="OnStart"/> (when the channel count and rate
/// are known); <see cref="Process"/> allocates nothing (BandPowerStageSpec proves it).</para>
/// <para>Spreading the work: one channel's 4096-point transform measured ~120 us
/// (KernelBenchmarks.OneChannelTransform, ShortRun, 2-core shared x64, 2026-11-27), so 32 in one call
/// would take ~4 ms, 16 frame periods at 4000 frames/s, and the stage's queue (a few frames deep)
/// would overflow at every update. So each call computes only as many channels as needed to finish
/// within half an update interval (one channel per call for one-sample frames); the published
/// windows of different channels end at most that far apart. Cost: ~4.3 us per frame on average
/// (ExampleStageBenchmarks, BandPower), at most one transform per one-sample frame.</para>
/// <para>Gaps: when the sample index jumps (samples lost upstream, or frames dropped by this stage's own
/// loss policy) the window restarts, so no estimate mixes the two sides of a gap.</para>
/// </remarks>
public sealed class BandPowerStage : IStage
{
    /// <summary>The output names, in band order.</summary>
    public static readonly string[] BandNames = ["delta", "theta", "alpha", "beta", "gamma"];

    private readonly BandPowerSettings _settings;
    private readonly double[][] _bandsHz;

    private int _channels;
    private int _window;          // samples per window
    private int _hop;             // samples between updates
    private float[] _history = []; // channel-major rings: _history[c * _window + i]
    private int _write;           // next write position in every ring
    private int _filled;          // valid samples in the rings (up to _window)
    private int _sinceUpdate;
    private long _nextIndex = -1;
    private Fft _fft = null!;
    private double[] _taper = [];
    private double[] _re = [];
    private double[] _im = [];
    private double _psdScale;     // 1 / (fs * sum(w^2)), scipy's "density" scaling
    private double _binHz;
    private int[] _bandFirstBin = [];
    private int[] _bandEndBin = [];
    private float[][] _power = [];   // [band][channel], the values being published
    private int _computeNext = -1;   // next channel to transform, -1 when idle
    private int _channelsPerCall;

    public BandPowerStage(BandPowerSettings settings)
    {
        _settings = settings;
        if (!(settings.WindowSeconds > 0)) throw new ArgumentException($"window-seconds must be positive (is {settings.WindowSeconds})");
        if (!(settings.UpdateSeconds > 0)) throw new ArgumentException($"update-seconds must be positive (is {settings.UpdateSeconds})");
        _bandsHz = [settings.DeltaHz, settings.ThetaHz, settings.AlphaHz, settings.BetaHz, settings.GammaHz];
        for (int b = 0; b < _bandsHz.Length; b++)
        {
            double[] band = _bandsHz[b];
            if (band is not [var low, var high] || low < 0 || high <= low)
            {
                throw new ArgumentException($"{BandNames[b]}-hz must be [low, high] with 0 <= low < high (is [{string.Join(", ", band ?? [])}])");
            }
        }
    }

    public BandPowerStage() : this(new BandPowerSettings()) { }

    public void OnStart(StreamDescription stream, IStageContext context)
    {
        int fs = stream.SampleRate;
        _channels = stream.ChannelCount;
        _window = Math.Max(8, (int)Math.Round(_settings.WindowSeconds * fs));
        _hop = Math.Max(1, (int)Math.Round(_settings.UpdateSeconds * fs));
        int nfft = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)_window);
        _fft = new Fft(nfft);
        _history = new float[_channels * _window];
        _re = new double[nfft];
        _im = new double[nfft];
        _taper = new double[_window];
        double sumSquares = 0;
        for (int i = 0; i < _window; i++)
        {
            // Periodic Hann, as scipy.signal.get_window("hann", N) returns.
            _taper[i] = 0.5 - 0.5 * Math.Cos(2 * Math.PI * i / _window);
            sumSquares += _taper[i] * _taper[i];
        }
        _psdScale = 1.0 / (fs * sumSquares);
        _binHz = fs / (double)nfft;
        _bandFirstBin = new int[_bandsHz.Length];
        _bandEndBin = new int[_bandsHz.Length];
        _power = new float[_bandsHz.Length][];
        for (int b = 0; b < _bandsHz.Length; b++)
        {
            if (_bandsHz[b][1] > fs / 2.0)
            {
                throw new InvalidOperationException($"{BandNames[b]} band ends at {_bandsHz[b][1]} Hz, above the Nyquist frequency of a {fs} Hz stream");
            }
            // Bins k with low <= k * binHz < high.
            _bandFirstBin[b] = (int)Math.Ceiling(_bandsHz[b][0] / _binHz);
            _bandEndBin[b] = (int)Math.Ceiling(_bandsHz[b][1] / _binHz);
            _power[b] = new float[_channels];
        }
        // Finish a round of transforms within half an update interval even for one-sample frames.
        _channelsPerCall = Math.Max(1, (int)Math.Ceiling(_channels / Math.Max(1.0, _hop / 2.0)));
        Restart();
    }

    public void Process(in FrameView frame, IStageContext context)
    {
        if (frame.FirstSampleIndex != _nextIndex) Restart();
        _nextIndex = frame.FirstSampleIndex + frame.SampleCount;

        ReadOnlySpan<float> values = frame.Microvolts;
        for (int s = 0; s < frame.SampleCount; s++)
        {
            int row = s * _channels;
            for (int c = 0; c < _channels; c++)
            {
                _history[c * _window + _write] = values[row + c];
            }
            if (++_write == _window) _write = 0;
            if (_filled < _window) _filled++;
            if (_filled == _window && ++_sinceUpdate >= _hop && _computeNext < 0)
            {
                _sinceUpdate = 0;
                _computeNext = 0; // start a round of transforms, spread over the next calls
            }
        }

        if (_computeNext < 0) return;
        // Frames of many samples get proportionally more transforms per call.
        int budget = _channelsPerCall * frame.SampleCount;
        for (int k = 0; k < budget && _computeNext < _channels; k++)
        {
            Transform(_computeNext++);
        }
        if (_computeNext == _channels)
        {
            _computeNext = -1;
            for (int b = 0; b < _power.Length; b++)
            {
                context.Publish(BandNames[b], _power[b]);
            }
        }
    }

    /// <summary>The periodogram of one channel's window, summed into each band's power.</summary>
    private void Transform(int channel)
    {
        ReadOnlySpan<float> ring = _history.AsSpan(channel * _window, _window);
        double mean = 0;
        for (int i = 0; i < _window; i++) mean += ring[i];
        mean /= _window;
        // Oldest sample first: the ring's write position is the oldest.
        for (int i = 0, r = _write; i < _window; i++)
        {
            _re[i] = (ring[r] - mean) * _taper[i];
            if (++r == _window) r = 0;
        }
        Array.Clear(_re, _window, _re.Length - _window);
        Array.Clear(_im);
        _fft.Forward(_re, _im);

        int half = _fft.Size / 2;
        for (int b = 0; b < _bandFirstBin.Length; b++)
        {
            double sum = 0;
            for (int k = _bandFirstBin[b]; k < _bandEndBin[b] && k <= half; k++)
            {
                double density = (_re[k] * _re[k] + _im[k] * _im[k]) * _psdScale;
                // One-sided spectrum: every bin but DC and Nyquist stands for its negative twin too.
                sum += k == 0 || k == half ? density : 2 * density;
            }
            _power[b][channel] = (float)(sum * _binHz);
        }
    }

    private void Restart()
    {
        _write = 0;
        _filled = 0;
        _sinceUpdate = _hop - 1; // the first estimate comes as soon as the window is full
        _computeNext = -1;
    }
}
