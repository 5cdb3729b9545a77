namespace Eeg.Acquisition.Sources.Ads1299;

/// <summary>
/// Electrode impedance from the ADS1299's AC lead-off excitation, measured on the reader thread
/// without allocating and published to any thread.
/// </summary>
/// <remarks>
/// During the check every P input carries the lead-off current I (LOFF.ILEAD_OFF: 6 or 24 nA) as a
/// square wave at f = fDR/4, so the electrode shows a voltage square wave of amplitude I x Z on top
/// of the EEG. At four samples per period the sampled excitation is +I, +I, -I, -I: all its power is
/// at fDR/4, its rms is I. Over a window of N samples (a multiple of 4, about one second; the
/// excitation falls exactly on a DFT bin and DC on none):
/// <code>
///   |X|    = Goertzel magnitude at fDR/4, in counts
///   V_peak = 2 |X| / N                      (amplitude of the fDR/4 component)
///   V_rms  = V_peak / sqrt(2) x LSB         (LSB = 2 Vref / gain / 2^24 volts per count)
///   Z      = V_rms / I_rms,  I_rms = I      (kOhm = Z / 1000)
/// </code>
/// The chip's decimation filter passes fDR/4 slightly attenuated; calibrate against a known resistor
/// on the real board before trusting absolute values (deploy/ads1299-wiring.md). At 4 kSPS fDR/4 is
/// 1 kHz, far from EEG and mains; at 250 SPS it is 62.5 Hz, close to 60 Hz mains.
/// </remarks>
public sealed class ImpedanceMeter
{
    /// <summary>Samples skipped after a (re)start while the excitation and the filter settle.</summary>
    public const int SettleSamples = 64;

    private readonly Goertzel _goertzel;
    private readonly double _ohmsPerMagnitude;
    private readonly double[] _published;
    private int _skip = SettleSamples;
    private int _version; // seqlock: odd while the reader thread writes _published
    private bool _hasValue;

    public ImpedanceMeter(int channels, int sampleRate, double voltsPerCount, double currentAmps)
    {
        if (currentAmps <= 0) throw new ArgumentOutOfRangeException(nameof(currentAmps));
        Channels = channels;
        WindowSamples = Math.Max(4, sampleRate / 4 * 4);
        _goertzel = new Goertzel(channels, 0.25);
        // V_rms / I = (sqrt(2) |X| / N) x LSB / I
        _ohmsPerMagnitude = Math.Sqrt(2) / WindowSamples * voltsPerCount / currentAmps;
        _published = new double[channels];
    }

    public int Channels { get; }

    /// <summary>Samples per measurement: a multiple of 4, about one second.</summary>
    public int WindowSamples { get; }

    /// <summary>Measurements completed since the start.</summary>
    public long Measurements { get; private set; }

    /// <summary>Forgets the window under way and waits for the excitation to settle again (mode switch, gap).</summary>
    public void Restart()
    {
        _goertzel.Reset();
        _skip = SettleSamples;
    }

    /// <summary>One sample of every channel, in counts. Reader thread; allocates nothing.</summary>
    public void Add(ReadOnlySpan<int> counts)
    {
        if (_skip > 0)
        {
            _skip--;
            return;
        }
        _goertzel.Add(counts);
        if (_goertzel.Count < WindowSamples) return;
        Interlocked.Increment(ref _version);
        for (int c = 0; c < _published.Length; c++) _published[c] = _goertzel.Magnitude(c) * _ohmsPerMagnitude / 1000.0;
        _hasValue = true;
        Interlocked.Increment(ref _version);
        Measurements++;
        _goertzel.Reset();
    }

    /// <summary>The last measurement in kOhm per channel, or null before the first. Any thread; allocates the copy.</summary>
    public double[]? Snapshot()
    {
        var copy = new double[_published.Length];
        var spin = new SpinWait();
        while (true)
        {
            int before = Volatile.Read(ref _version);
            if ((before & 1) == 0)
            {
                if (!Volatile.Read(ref _hasValue)) return null;
                Array.Copy(_published, copy, copy.Length);
                Interlocked.MemoryBarrier();
                if (Volatile.Read(ref _version) == before) return copy;
            }
            spin.SpinOnce(sleep1Threshold: -1);
        }
    }
}
