using Eeg.Shared.Frames;
using Eeg.Shared.Stages;

namespace Eeg.Plugins.Examples;

/// <summary>
/// Detects eye blinks on the frontal channels (Fp1, Fp2 by default) and emits a "blink" event at the
/// sample of each blink's peak. A blink is the eyeball's rotation under the frontal electrodes: a
/// large (100-400 uV), positive, 200-400 ms deflection, much larger and steeper than alpha.
/// </summary>
/// <remarks>
/// Detection on the mean of the frontal channels, measured from its own slowly moving baseline (an
/// exponential average with time constant <see cref="BlinkDetectorSettings.BaselineSeconds"/>, frozen
/// while a deflection lasts, so offsets and drifts do not count): it must cross <see cref="BlinkDetectorSettings.ThresholdMicrovolts"/>
/// while rising at least <see cref="BlinkDetectorSettings.MinSlopeMicrovoltsPerSecond"/> (slow drifts are
/// not blinks), stay above half the threshold between <see cref="BlinkDetectorSettings.MinDurationSeconds"/>
/// and <see cref="BlinkDetectorSettings.MaxDurationSeconds"/>, and come at least
/// <see cref="BlinkDetectorSettings.RefractorySeconds"/> after the previous blink. The event is emitted
/// when the deflection ends, stamped with the sample index of its peak. Per-sample work is a few
/// additions; the only buffer (the slope history) is allocated in <see cref="OnStart"/>.
/// </remarks>
public sealed class BlinkDetectorStage : IStage
{
    private enum State { Idle, InBlink, Rejected }

    private readonly BlinkDetectorSettings _settings;
    private int[] _channels = [];
    private float[] _history = [];   // the frontal mean over the last slope window
    private int _write;
    private int _filled;
    private long _nextIndex = -1;
    private State _state;
    private long _onsetIndex;
    private long _peakIndex;
    private float _peak;
    private long _lastBlinkPeak = long.MinValue / 2;
    private double _minSlopePerSample;
    private float _baseline;
    private float _baselineWeight;
    private bool _baselineKnown;
    private long _minDuration, _maxDuration, _refractory;

    public BlinkDetectorStage(BlinkDetectorSettings settings)
    {
        _settings = settings;
        if (settings.Channels.Length == 0) throw new ArgumentException("channels must name at least one channel");
        if (!(settings.ThresholdMicrovolts > 0)) throw new ArgumentException($"threshold-microvolts must be positive (is {settings.ThresholdMicrovolts})");
        if (!(settings.SlopeWindowSeconds > 0)) throw new ArgumentException($"slope-window-seconds must be positive (is {settings.SlopeWindowSeconds})");
        if (!(settings.MaxDurationSeconds > settings.MinDurationSeconds)) throw new ArgumentException("max-duration-seconds must exceed min-duration-seconds");
    }

    public BlinkDetectorStage() : this(new BlinkDetectorSettings()) { }

    public void OnStart(StreamDescription stream, IStageContext context)
    {
        _channels = new int[_settings.Channels.Length];
        for (int i = 0; i < _channels.Length; i++)
        {
            _channels[i] = CommonAverageReferenceStage.IndexOf(stream, _settings.Channels[i]);
            if (_channels[i] < 0)
            {
                throw new InvalidOperationException($"channels names '{_settings.Channels[i]}', which is not a channel of this stream ({string.Join(", ", stream.ChannelNames)})");
            }
        }
        int fs = stream.SampleRate;
        int slopeSamples = Math.Max(1, (int)Math.Round(_settings.SlopeWindowSeconds * fs));
        _history = new float[slopeSamples];
        _minSlopePerSample = _settings.MinSlopeMicrovoltsPerSecond / fs;
        _baselineWeight = (float)(1 - Math.Exp(-1.0 / (Math.Max(_settings.BaselineSeconds, 1e-6) * fs)));
        _minDuration = (long)Math.Round(_settings.MinDurationSeconds * fs);
        _maxDuration = (long)Math.Round(_settings.MaxDurationSeconds * fs);
        _refractory = (long)Math.Round(_settings.RefractorySeconds * fs);
        Reset();
    }

    public void Process(in FrameView frame, IStageContext context)
    {
        // Samples missing (gap upstream or frames dropped by this stage's policy): a blink cut in two
        // cannot be measured, so forget the one in progress.
        if (frame.FirstSampleIndex != _nextIndex) Reset();
        _nextIndex = frame.FirstSampleIndex + frame.SampleCount;

        float threshold = (float)_settings.ThresholdMicrovolts;
        for (int s = 0; s < frame.SampleCount; s++)
        {
            ReadOnlySpan<float> sample = frame.Sample(s);
            float sum = 0;
            for (int i = 0; i < _channels.Length; i++) sum += sample[_channels[i]];
            float raw = sum / _channels.Length;
            if (!_baselineKnown)
            {
                _baseline = raw;
                _baselineKnown = true;
            }
            // Frozen during a blink (the blink would drag it up); free again while a rejected deflection
            // lasts, so a step in the signal (an electrode pop) is eventually absorbed.
            if (_state != State.InBlink) _baseline += _baselineWeight * (raw - _baseline);
            float v = raw - _baseline;
            long index = frame.FirstSampleIndex + s;

            // The slot about to be overwritten holds the value from _history.Length samples ago.
            float then = _history[_write];
            _history[_write] = v;
            if (++_write == _history.Length) _write = 0;
            if (_filled <= _history.Length) _filled++;
            bool slopeKnown = _filled > _history.Length;

            switch (_state)
            {
                case State.Idle:
                    if (v > threshold && slopeKnown && (v - then) / _history.Length >= _minSlopePerSample
                        && index - _lastBlinkPeak >= _refractory)
                    {
                        _state = State.InBlink;
                        _onsetIndex = index;
                        _peak = v;
                        _peakIndex = index;
                    }
                    break;
                case State.InBlink:
                    if (v > _peak)
                    {
                        _peak = v;
                        _peakIndex = index;
                    }
                    if (index - _onsetIndex > _maxDuration)
                    {
                        _state = State.Rejected; // too long for a blink: wait for the signal to come down
                    }
                    else if (v < threshold / 2)
                    {
                        if (index - _onsetIndex >= _minDuration)
                        {
                            context.Emit("blink", _peakIndex);
                            _lastBlinkPeak = _peakIndex;
                        }
                        _state = State.Idle;
                    }
                    break;
                case State.Rejected:
                    if (v < threshold / 2) _state = State.Idle;
                    break;
            }
        }
    }

    private void Reset()
    {
        Array.Clear(_history);
        _write = 0;
        _filled = 0;
        _state = State.Idle;
        _baselineKnown = false;
    }
}
