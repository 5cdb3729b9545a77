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
/// <para><b>State in double precision.</b> Measured (DspChainPrecisionTests, 0.5 Hz Butterworth-2 high-pass
/// at 4000 SPS, 60 s of 40 uV alpha + 1/f-ish noise on a 100 mV = 100,000 uV electrode offset, compared
/// with a float64 reference): float32 state and float32 arithmetic give a maximum error of ~4,300 uV and
/// an RMS error of ~1,400 uV after the start-up transient; the poles sit 5.5e-4 from the unit circle, so
/// float's 6e-8 relative rounding of a 1e5 uV state is amplified ~1/(1-r) = 1,800x and never averages out.
/// Double state (this class) gives a maximum error of ~0.004 uV against float64 sosfilt, i.e. the
/// float32 output rounding itself (100,000 uV * 6e-8). An EEG signal of 10-50 uV is unusable with float
/// state, so state is double; it costs 8 bytes more per state variable (32 ch x 6 sections x 2 = 3 kB in
/// all, still L1-resident) and nothing measurable in time on a 64-bit core (double multiply-add has the
/// same latency as float on x64 and Cortex-A76).</para>
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
    /// A separate pass rather than fused into the cascade: it costs one extra read and write of 32 floats
    /// per sample, both in L1 (well under 1% of the frame's DSP time in the indicative Stopwatch check,
    /// see DspBenchmarks.ConvertOnly for the number), and in return the cascade always starts from the
    /// float microvolts a sink or a CSV recorder sees, so "filter --in unfiltered.csv" is bit-identical
    /// to the online output.
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
        // Cost (indicative Stopwatch check, x64 dev box, 32 ch x 4000 SPS x 6 sections, 60 s of signal):
        // see the figure quoted in DspChainBenchmarkNote below; DspBenchmarks.Cascade is the benchmark.
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
