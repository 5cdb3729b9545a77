namespace Eeg.Acquisition.Sources;

/// <summary>What a source says about the sample it just read, besides the counts.</summary>
public struct SampleInfo
{
    /// <summary>Index of this sample since stream start. A jump from the previous one is a gap.</summary>
    public long Index;
    /// <summary>The status word was corrupt (ADS1299: top nibble not 1100); the counts are not trusted.</summary>
    public bool Corrupt;
    /// <summary>Lead-off bits, positive and negative inputs, one bit per channel.</summary>
    public uint LeadOffPositive, LeadOffNegative;
    /// <summary>Trigger code seen at this sample (0 = none): host trigger pin or the ADS1299's GPIO bits.</summary>
    public int TriggerCode;
    /// <summary>Where the trigger came from, when <see cref="TriggerCode"/> is not 0.</summary>
    public Eeg.Shared.Frames.TriggerSource TriggerSource;
}

/// <summary>
/// A producer of samples: the simulated amplifier, the ADS1299 over SPI, or a recording played back.
/// Called by the reader thread only. Neither method may allocate once started.
/// </summary>
public interface ISampleSource : IDisposable
{
    /// <summary>simulated, ads1299 or replay.</summary>
    string Name { get; }
    int Channels { get; }
    int SampleRate { get; }

    /// <summary>
    /// True when samples come on their own clock (an amplifier's DRDY, a paced simulation or replay):
    /// a sample not taken in time is lost, so the reader never waits and counts an overrun instead.
    /// False for a source that can wait (free-running simulation, a replay "as fast as possible"):
    /// the reader then waits for room in the ring, and nothing is dropped.
    /// </summary>
    bool IsRealTime { get; }

    /// <summary>Prepares the device (register set-up, file open). May allocate and throw with a clear message.</summary>
    void Start();

    /// <summary>
    /// Waits until the next sample is due: the DRDY falling edge (ads1299), a precise per-sample
    /// deadline (simulated, paced replay), or not at all (free-running). Never sleeps a fixed time.
    /// Returns false when the source has ended or <see cref="Stop"/> was called.
    /// </summary>
    /// <param name="drdyTicks">Stopwatch timestamp of the sample's DRDY edge (or deadline).</param>
    bool WaitForSample(out long drdyTicks);

    /// <summary>Reads the due sample: one sign-extended count per channel into <paramref name="counts"/>.</summary>
    void ReadSample(Span<int> counts, out SampleInfo info);

    /// <summary>Unblocks <see cref="WaitForSample"/> and makes it return false. Any thread.</summary>
    void Stop();
}
