namespace Eeg.Acquisition.Sources.Simulated;

/// <summary>
/// A plausible scalp EEG, different per channel: alpha near 10 Hz (strongest at the back of the head),
/// 1/f ("pink") background, mains hum, an electrode offset with slow drift, and blinks on the frontal
/// channels every few seconds. Output in ADC counts, like the ADS1299 delivers.
/// </summary>
/// <remarks>
/// Sines are advanced as rotating phasors (two multiplies and adds per step) instead of calling
/// Math.Sin per sample: 32 channels x 4 components x 4000 SPS would be half a million Sin calls a
/// second; phasors keep the generator cheap enough for the free-running throughput mode, where it
/// must outrun the pipeline by far. Phasor magnitude drift is corrected once a second. Noise comes
/// from an xorshift generator (no allocation, repeatable from the seed).
/// </remarks>
public sealed class EegSignal
{
    private const int Components = 3; // alpha, mains, drift
    private readonly int _channels;
    private readonly int _sampleRate;
    private readonly double _countsPerMicrovolt;
    private readonly double[] _re, _im, _stepRe, _stepIm, _amplitude;
    private readonly double[] _offset;
    private readonly double[] _pink; // 7 state values per channel (Paul Kellet's pink filter)
    private readonly double[] _blinkWeight;
    private ulong _random;
    private long _sample;
    private long _nextBlink;
    private long _blinkStart = -1;
    private readonly int _blinkLength;

    public EegSignal(int channels, int sampleRate, int mainsHz, int seed, double microvoltsPerCount)
    {
        _channels = channels;
        _sampleRate = sampleRate;
        _countsPerMicrovolt = 1.0 / microvoltsPerCount;
        _random = (ulong)seed * 0x9E3779B97F4A7C15UL + 0x2545F4914F6CDD1DUL;
        int n = channels * Components;
        _re = new double[n]; _im = new double[n]; _stepRe = new double[n]; _stepIm = new double[n]; _amplitude = new double[n];
        _offset = new double[channels];
        _pink = new double[channels * 7];
        _blinkWeight = new double[channels];
        _blinkLength = sampleRate / 4; // a blink lasts ~250 ms
        for (int c = 0; c < channels; c++)
        {
            double posterior = channels > 1 ? c / (double)(channels - 1) : 0.5; // later channels sit further back
            double alphaHz = 9.5 + NextUnit() * 1.5;
            double alphaUv = 8 + 22 * posterior + NextUnit() * 4;
            SetComponent(c, 0, alphaHz, alphaUv);
            SetComponent(c, 1, mainsHz, 3 + NextUnit() * 12);
            SetComponent(c, 2, 0.03 + NextUnit() * 0.05, 40 + NextUnit() * 80);
            _offset[c] = (NextUnit() - 0.5) * 20_000; // electrode offset, +/- 10 mV
            _blinkWeight[c] = c < 2 ? 1.0 : c < 7 ? 0.35 : 0.0; // Fp1/Fp2 strongly, other frontal weakly
        }
        _nextBlink = sampleRate * 2;
    }

    private void SetComponent(int channel, int component, double hz, double microvolts)
    {
        int k = channel * Components + component;
        double phase = NextUnit() * 2 * Math.PI;
        double step = 2 * Math.PI * hz / _sampleRate;
        _re[k] = Math.Cos(phase);
        _im[k] = Math.Sin(phase);
        _stepRe[k] = Math.Cos(step);
        _stepIm[k] = Math.Sin(step);
        _amplitude[k] = microvolts;
    }

    /// <summary>Writes the next sample of every channel, in counts.</summary>
    public void Next(Span<int> counts)
    {
        bool renormalise = _sample % _sampleRate == 0;
        double blink = BlinkMicrovolts();
        for (int c = 0; c < _channels; c++)
        {
            double microvolts = _offset[c] + blink * _blinkWeight[c] + PinkNoise(c) * 6.0;
            int k = c * Components;
            for (int j = 0; j < Components; j++, k++)
            {
                double re = _re[k] * _stepRe[k] - _im[k] * _stepIm[k];
                double im = _re[k] * _stepIm[k] + _im[k] * _stepRe[k];
                if (renormalise)
                {
                    double norm = 1.0 / Math.Sqrt(re * re + im * im);
                    re *= norm;
                    im *= norm;
                }
                _re[k] = re;
                _im[k] = im;
                microvolts += _amplitude[k] * im;
            }
            double count = microvolts * _countsPerMicrovolt;
            counts[c] = (int)Math.Clamp(Math.Round(count), -8_388_608, 8_388_607);
        }
        _sample++;
    }

    private double BlinkMicrovolts()
    {
        if (_blinkStart < 0 && _sample >= _nextBlink)
        {
            _blinkStart = _sample;
            _nextBlink = _sample + (long)(_sampleRate * (3 + NextUnit() * 5));
        }
        if (_blinkStart < 0) return 0;
        long t = _sample - _blinkStart;
        if (t >= _blinkLength)
        {
            _blinkStart = -1;
            return 0;
        }
        return 150.0 * Math.Sin(Math.PI * t / _blinkLength);
    }

    // Paul Kellet's economy pink-noise filter over white noise: a 1/f spectrum within 0.05 dB
    // from 9 Hz up, good enough for a background that looks like EEG on the spectrum view.
    private double PinkNoise(int channel)
    {
        int b = channel * 7;
        double white = NextUnit() * 2 - 1;
        _pink[b] = 0.99886 * _pink[b] + white * 0.0555179;
        _pink[b + 1] = 0.99332 * _pink[b + 1] + white * 0.0750759;
        _pink[b + 2] = 0.96900 * _pink[b + 2] + white * 0.1538520;
        _pink[b + 3] = 0.86650 * _pink[b + 3] + white * 0.3104856;
        _pink[b + 4] = 0.55000 * _pink[b + 4] + white * 0.5329522;
        _pink[b + 5] = -0.7616 * _pink[b + 5] - white * 0.0168980;
        double pink = _pink[b] + _pink[b + 1] + _pink[b + 2] + _pink[b + 3] + _pink[b + 4] + _pink[b + 5] + _pink[b + 6] + white * 0.5362;
        _pink[b + 6] = white * 0.115926;
        return pink;
    }

    private double NextUnit()
    {
        // xorshift64*: fast, allocation-free, good enough for test signals.
        _random ^= _random >> 12;
        _random ^= _random << 25;
        _random ^= _random >> 27;
        return ((_random * 2685821657736338717UL) >> 11) * (1.0 / (1UL << 53));
    }
}
