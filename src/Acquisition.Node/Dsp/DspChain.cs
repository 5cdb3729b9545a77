using Eeg.Pipeline.Configuration;
using Eeg.Pipeline.Slabs;

namespace Eeg.Acquisition.Dsp;

/// <summary>
/// The online filter chain for C channels: counts to microvolts, then the <see cref="FilterCascade"/>
/// applied causally, per channel, with state kept across frames, exactly like <c>scipy.signal.sosfilt</c>
/// run over the whole stream from zero state. One instance is used by one thread (the DSP consumer, or
/// the offline command); <see cref="DspStage"/> swaps instances when the settings change.
/// </summary>
/// <remarks>
/// <para><b>State in double precision</b> (measured by DspChainPrecisionTests, which prints the figures:
/// 0.5 Hz Butterworth-2 high-pass at 4000 SPS, 60 s of 40 uV alpha + 500 uV slow drift + noise on a
/// 100 mV = 100,000 uV electrode offset, error against a float64 sosfilt after the first 10 s):
/// float32 state and arithmetic: max 929 uV, RMS 268 uV, i.e. larger than the EEG itself. The poles sit
/// 5.5e-4 inside the unit circle, so float's 6e-8 relative rounding of a 1e5 uV state is amplified by
/// ~1/(1-r) and never averages out. Double state (this class): max 1.9e-6 uV, RMS 7.7e-7 uV, which is
/// just the final float32 rounding of the output. Cost: 8 bytes more per state variable (32 ch x 6
/// sections x 2 x 8 B = 3 kB, still L1-resident) and no measurable time: a float-state copy of this loop
/// ran 140-144 ns per 32-channel sample against 142-143 ns for this one (indicative Stopwatch check on
/// the shared x64 dev box; DspBenchmarks.CascadeFloatState vs DspBenchmarks.Cascade will own the figures).</para>
/// <para>Samples stay float32 in the slab (the wire format and the sinks use float); only the state and
/// the value travelling through the sections of one sample are double, so a sample is rounded once,
/// after the last section, as sosfilt's float64 output would be rounded when stored as float32.</para>
/// </remarks>
public sealed class DspChain
{
    private const int CoefficientsPerSection = 5; // b0 b1 b2 a1 a2 (a0 = 1)
    private const int StatePerSection = 2;        // DF2T: z0, z1

    private readonly int _channels;
    private readonly int _sections;
    private readonly double[] _coefficients;
    // Layout [channel][section][z0, z1]: each channel's state is one contiguous run of 2*S doubles.
    private readonly double[] _state;
    private readonly double _microvoltsPerCount;

    /// <param name="settings">pipeline.dsp.*.</param>
    /// <param name="channels">Channels per sample (slab layout s*C + c).</param>
    /// <param name="sampleRate">Samples per second per channel.</param>
    /// <param name="microvoltsPerCount">2*Vref/gain/2^24*1e6 (<c>StreamDescription.MicrovoltsPerCount</c>).</param>
    /// <exception cref="ConfigException">A filter setting is out of range.</exception>
    public DspChain(DspSettings settings, int channels, int sampleRate, double microvoltsPerCount)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (channels < 1) throw ConfigException.Invalid("pipeline.channels", channels, "at least 1 channel");
        if (!(microvoltsPerCount > 0) || double.IsInfinity(microvoltsPerCount))
            throw new ArgumentOutOfRangeException(nameof(microvoltsPerCount), microvoltsPerCount, "must be a positive number of microvolts per count");

        Cascade = FilterCascade.FromSettings(settings, sampleRate);
        Settings = settings;
        SampleRate = sampleRate;
        MicrovoltsPerCount = microvoltsPerCount;
        _channels = channels;
        _microvoltsPerCount = microvoltsPerCount;
        _sections = Cascade.Sections.Count;
        _coefficients = new double[_sections * CoefficientsPerSection];
        for (int j = 0; j < _sections; j++)
        {
            var s = Cascade.Sections[j];
            int k = j * CoefficientsPerSection;
            _coefficients[k] = s.B0;
            _coefficients[k + 1] = s.B1;
            _coefficients[k + 2] = s.B2;
            _coefficients[k + 3] = s.A1;
            _coefficients[k + 4] = s.A2;
        }
        _state = new double[channels * _sections * StatePerSection];
    }

    public DspSettings Settings { get; }
    public FilterCascade Cascade { get; }
    public int Channels => _channels;
    public int SampleRate { get; }
    public double MicrovoltsPerCount { get; }

    /// <summary>E.g. "HP 0.5 Hz (Butterworth 2), notch 50 Hz (Q 30), LP 100 Hz (Butterworth 4)"; for <c>StreamDescription.Filters</c>.</summary>
    public string Describe() => Cascade.Description;

    /// <summary>
    /// Converts the slab's counts to microvolts into <see cref="Slab.Microvolts"/>, then filters them in
    /// place. Equal, bit for bit, to <see cref="ConvertCounts"/> followed by <see cref="ProcessMicrovolts"/>,
    /// which is what makes the offline command reproduce the online stream.
    /// </summary>
    public void Process(Slab slab)
    {
        ConvertCounts(slab);
        ProcessMicrovolts(slab.MicrovoltSpan, slab.SampleCount);
    }

    /// <summary>uV = count * 2*Vref/gain/2^24 * 1e6, computed in double and rounded once to float.</summary>
    /// <remarks>
    /// A separate pass rather than fused into the cascade: it costs one extra write and read of 32 floats
    /// per sample, both in L1 (this pass alone measured 12-17 ns per 32-channel sample, about a tenth of
    /// the whole DSP step; indicative Stopwatch check, DspBenchmarks.ConvertOnly will give the real figure).
    /// In return the cascade always starts from the float microvolts a sink or a CSV recorder sees, so
    /// "filter --in unfiltered.csv" reproduces the online output bit for bit.
    /// </remarks>
    public void ConvertCounts(Slab slab)
    {
        ArgumentNullException.ThrowIfNull(slab);
        if (slab.Channels != _channels) ThrowChannelMismatch(slab.Channels);
        ReadOnlySpan<int> counts = slab.CountSpan;
        Span<float> microvolts = slab.Microvolts.AsSpan(0, counts.Length);
        double scale = _microvoltsPerCount;
        for (int i = 0; i < counts.Length; i++)
            microvolts[i] = (float)(counts[i] * scale);
    }

    /// <summary>
    /// Runs the cascade in place over <paramref name="sampleCount"/> samples of microvolts in sample-major
    /// layout (s*C + c), continuing from the state the previous call left. Allocation-free.
    /// </summary>
    public void ProcessMicrovolts(Span<float> sampleMajor, int sampleCount)
    {
        int length = sampleCount * _channels;
        if (sampleCount < 0 || length > sampleMajor.Length) ThrowBadLength(sampleMajor.Length, sampleCount);
        if (_sections == 0) return;

        // Loop order: sample, then channel, then section. The data is sample-major, so the outer two loops
        // walk the frame once, front to back; for one (sample, channel) all sections run with the value in a
        // register, so intermediate results are never rounded to float or written to memory (sosfilt's
        // order of operations, hence its results). State is laid out [channel][section][z0,z1], so the
        // channel loop also walks the state array front to back: one sample touches C*S*2 doubles (3 kB
        // for 32 ch x 6 sections) sequentially, all in L1. The alternative, section-outer over the whole
        // frame, would need a double scratch buffer per frame to avoid rounding between sections and would
        // stream the frame S times.
        // SIMD later: the independent lanes are channels (same coefficients, different state). Transposing
        // the private state to [section][z][channel] lets Vector<double> take 4 channels at once from the
        // same contiguous slab span; the slab layout does not change. Per the user, scalar for now.
        // Measured (indicative Stopwatch check, Release, shared 2-core x64 dev box under load 10+, best of 5
        // over 60 s of 32 ch at 4000 SPS; DspBenchmarks.Cascade is the benchmark that will own the figures):
        // default cascade (4 sections) 142-196 ns per 32-channel sample including the count conversion, i.e.
        // ~1.2 ns per biquad and < 0.1% of a core at 4 kSPS; 6 sections (3 notch harmonics) 216-242 ns.
        // The section-outer alternative (DspBenchmarks.SectionOuter) measured 189-238 ns at 1 sample per
        // frame (the default frame), so this order is ~20-25% faster there; at 400 samples per frame both
        // measured 157-211 vs 191-192 ns, equal within the noise.
        // Bounds checks are kept (spans, no Unsafe): at ~0.2 us of a 250 us DRDY period they are not worth
        // unsafe code; revisit with SIMD. Denormals: with exactly-zero input after a 100 mV step the state
        // decays through the subnormal range in minutes 2-7; measured per-sample cost rose to at most 376 ns
        // (x64, noisy), so no flush-to-zero guard; a real ADS1299 channel never reads exact zeros for minutes.
        Span<float> data = sampleMajor.Slice(0, length);
        ReadOnlySpan<double> co = _coefficients;
        Span<double> state = _state;
        int sections = _sections;
        int channels = _channels;
        int i = 0;
        for (int s = 0; s < sampleCount; s++)
        {
            int z = 0;
            for (int c = 0; c < channels; c++, i++)
            {
                double x = data[i];
                int k = 0;
                for (int j = 0; j < sections; j++, k += CoefficientsPerSection, z += StatePerSection)
                {
                    // Direct form II transposed, term for term as scipy's _sosfilt.pyx.
                    double y = co[k] * x + state[z];
                    state[z] = co[k + 1] * x - co[k + 3] * y + state[z + 1];
                    state[z + 1] = co[k + 2] * x - co[k + 4] * y;
                    x = y;
                }
                data[i] = (float)x;
            }
        }
    }

    /// <summary>Zero state, as at stream start (sosfilt without zi).</summary>
    public void Reset() => Array.Clear(_state);

    /// <summary>
    /// Sets every channel's state to the steady state of a constant input equal to that channel's value in
    /// <paramref name="oneSample"/> (scipy's <c>sosfilt_zi(sos) * x0</c>, section by section). Used when a
    /// new chain takes over at run time: from zero state a 0.5 Hz high-pass on a 100 mV electrode offset
    /// would output a 100,000 uV step decaying over seconds; primed, the output continues smoothly.
    /// </summary>
    public void PrimeSteadyState(ReadOnlySpan<float> oneSample)
    {
        if (oneSample.Length < _channels) ThrowBadLength(oneSample.Length, 1);
        Span<double> state = _state;
        int z = 0;
        for (int c = 0; c < _channels; c++)
        {
            double u = oneSample[c];
            for (int j = 0, k = 0; j < _sections; j++, k += CoefficientsPerSection, z += StatePerSection)
            {
                double b0 = _coefficients[k], b1 = _coefficients[k + 1], b2 = _coefficients[k + 2];
                double a1 = _coefficients[k + 3], a2 = _coefficients[k + 4];
                // Constant input u, constant output y = H(1)*u; DF2T fixed point: z1 = b2*u - a2*y, z0 = b1*u - a1*y + z1.
                double y = (b0 + b1 + b2) / (1.0 + a1 + a2) * u;
                double z1 = b2 * u - a2 * y;
                state[z] = b1 * u - a1 * y + z1;
                state[z + 1] = z1;
                u = y; // the next section sees this section's steady output
            }
        }
    }

    /// <summary>One channel's state, [section][z0, z1] (tests).</summary>
    internal ReadOnlySpan<double> StateOf(int channel) =>
        _state.AsSpan(channel * _sections * StatePerSection, _sections * StatePerSection);

    // Throw helpers keep the hot methods small enough to inline their checks.
    private void ThrowChannelMismatch(int slabChannels) =>
        throw new ArgumentException($"The slab has {slabChannels} channels; this chain was built for {_channels}.");

    private void ThrowBadLength(int spanLength, int sampleCount) =>
        throw new ArgumentException($"{sampleCount} samples x {_channels} channels do not fit in a span of {spanLength} values.");
}
