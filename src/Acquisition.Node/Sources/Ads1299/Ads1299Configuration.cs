using Eeg.Pipeline.Configuration;

namespace Eeg.Acquisition.Sources.Ads1299;

/// <summary>
/// The register values one acquisition runs on, derived from the settings; the same for every chip
/// (daisy-chained chips share DIN, so they cannot differ anyway).
/// </summary>
public sealed record Ads1299Configuration(
    int SampleRate,
    int Gain,
    Ads1299Input Input,
    bool Bias,
    bool Srb1,
    bool DaisyChain,
    bool ClockOutput,
    bool LeadOffDetection,
    int LeadOffCurrentNanoamps,
    LeadOffFrequency LeadOffFrequency,
    double LeadOffThresholdPercent,
    bool ImpedanceCheck = false,
    double ReferenceVolts = 4.5)
{
    private static readonly int[] s_rates = [16000, 8000, 4000, 2000, 1000, 500, 250];
    private static readonly int[] s_gains = [1, 2, 4, 6, 8, 12, 24];

    /// <summary>The configuration for these settings (rate and gain are the pipeline's own keys).</summary>
    public static Ads1299Configuration From(Ads1299Settings s, int sampleRate, int gain, double referenceVolts, int chips) => new(
        sampleRate, gain, s.Input, s.Bias, s.Srb1,
        DaisyChain: s.Wiring == Ads1299Wiring.Daisy,
        // More than one chip must share one conversion clock; the first chip drives it (CLKSEL high there).
        ClockOutput: chips > 1,
        s.LeadOffDetection, s.LeadOffCurrentNanoamps, s.LeadOffFrequency, s.LeadOffThresholdPercent, s.ImpedanceCheck, referenceVolts);

    /// <summary>CONFIG1: 1, DAISY_EN, CLK_EN, 1, 0, DR[2:0].</summary>
    public byte Config1 => (byte)(0x90 | (DaisyChain ? 0 : 0x40) | (ClockOutput ? 0x20 : 0) | IndexOf(s_rates, SampleRate, "sample rate"));

    /// <summary>CONFIG2: the internal test signal (1 x Vref/2.4 mV at fCLK/2^21) when a channel shows it.</summary>
    public byte Config2 => (byte)(Input == Ads1299Input.TestSignal ? 0xD0 : 0xC0);

    /// <summary>CONFIG3: internal reference buffer on; bias reference and buffer on when the bias drive is.</summary>
    public byte Config3 => (byte)(0xE0 | (Bias ? 0x0C : 0));

    /// <summary>LOFF: comparator threshold, current, frequency (always fDR/4 during the impedance check).</summary>
    public byte Loff
    {
        get
        {
            int threshold = IndexOf([95, 92.5, 90, 87.5, 85, 80, 75, 70], LeadOffThresholdPercent, "lead-off threshold");
            int current = IndexOf([6, 24, 6_000, 24_000], LeadOffCurrentNanoamps, "lead-off current");
            int frequency = ImpedanceCheck ? 3 : (int)LeadOffFrequency;
            return (byte)((threshold << 5) | (current << 2) | frequency);
        }
    }

    /// <summary>CHnSET for every channel: powered, the gain, SRB2 open, the input multiplexer.</summary>
    public byte ChannelSet => (byte)((IndexOf(s_gains, Gain, "gain") << 4) | Input switch
    {
        Ads1299Input.Normal => 0b000,
        Ads1299Input.Shorted => 0b001,
        Ads1299Input.Supply => 0b011,
        Ads1299Input.Temperature => 0b100,
        _ => 0b101,
    });

    /// <summary>BIAS_SENSP: every P input into the bias derivation when the bias drive is on.</summary>
    public byte BiasSensP => (byte)(Bias ? 0xFF : 0);

    /// <summary>BIAS_SENSN: the N inputs too, unless they all carry the common reference (SRB1).</summary>
    public byte BiasSensN => (byte)(Bias && !Srb1 ? 0xFF : 0);

    /// <summary>LOFF_SENSP: every P input, for detection or for the impedance check's excitation.</summary>
    public byte LoffSensP => (byte)(LeadOffDetection || ImpedanceCheck ? 0xFF : 0);

    /// <summary>LOFF_SENSN: the N inputs for detection; never during the impedance check, so the current flows through the P electrode alone.</summary>
    public byte LoffSensN => (byte)(LeadOffDetection && !ImpedanceCheck ? 0xFF : 0);

    /// <summary>MISC1: SRB1 closed (every N input on the common reference) or open.</summary>
    public byte Misc1 => (byte)(Srb1 ? 0x20 : 0);

    /// <summary>CONFIG4: continuous conversions; lead-off comparators powered when used.</summary>
    public byte Config4 => (byte)(LeadOffDetection || ImpedanceCheck ? 0x02 : 0);

    /// <summary>GPIO: the four pins are inputs (their levels come back in every status word).</summary>
    public const byte GpioAllInputs = 0x0F;

    /// <summary>Volts per count: 2 Vref / gain / 2^24.</summary>
    public double VoltsPerCount => 2.0 * ReferenceVolts / Gain / (1 << 24);

    /// <summary>Rms of the excitation current the impedance check drives, in amperes (see <see cref="ImpedanceMeter"/>).</summary>
    public double LeadOffCurrentAmps => LeadOffCurrentNanoamps * 1e-9;

    private static int IndexOf<T>(T[] values, T value, string what) where T : IEquatable<T>
    {
        int i = Array.IndexOf(values, value);
        if (i < 0) throw new ArgumentOutOfRangeException(what, value, $"the ADS1299 has no {what} {value}");
        return i;
    }
}
