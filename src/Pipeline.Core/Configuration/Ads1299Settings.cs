namespace Eeg.Pipeline.Configuration;

/// <summary>How the chips share the SPI bus.</summary>
public enum Ads1299Wiring
{
    /// <summary>All chips on one chip select, DOUT of chip k+1 into DAISY_IN of chip k: one read of 27 x chips bytes.</summary>
    Daisy,
    /// <summary>One chip select per chip: one 27-byte read per chip.</summary>
    PerChip,
}

/// <summary>What every channel's input multiplexer connects (CHnSET.MUX).</summary>
public enum Ads1299Input { Normal, Shorted, TestSignal, Temperature, Supply }

/// <summary>Lead-off excitation frequency (LOFF.FLEAD_OFF).</summary>
public enum LeadOffFrequency { Dc, Ac7_8Hz, Ac31_2Hz, AcQuarterRate }

/// <summary>Which edge of the host trigger pin counts as a trigger.</summary>
public enum TriggerEdge { Rising, Falling, Both }

/// <summary>
/// pipeline.ads1299: the amplifier's wiring and register choices (hocon/reference.conf says what each
/// key does). Pin numbers are the host's GPIO numbers (BCM on a Raspberry Pi); -1 means not wired.
/// </summary>
public sealed record Ads1299Settings(
    int SpiBus,
    IReadOnlyList<int> ChipSelects,
    Ads1299Wiring Wiring,
    int ClockHz,
    int GpioChip,
    int DrdyPin,
    int StartPin,
    int ResetPin,
    int PowerDownPin,
    Ads1299Input Input,
    bool Bias,
    bool Srb1,
    bool LeadOffDetection,
    int LeadOffCurrentNanoamps,
    LeadOffFrequency LeadOffFrequency,
    double LeadOffThresholdPercent,
    int TriggerPin,
    TriggerEdge TriggerEdge,
    int Cpu,
    bool ImpedanceCheck)
{
    /// <summary>The ADS1299's fastest serial clock: tSCLK is at least 50 ns (datasheet 7.6).</summary>
    public const int MaxClockHz = 20_000_000;

    /// <summary>Lead-off currents the LOFF register offers (ILEAD_OFF), in nA.</summary>
    public static readonly IReadOnlyList<int> LeadOffCurrents = [6, 24, 6_000, 24_000];

    /// <summary>Lead-off comparator thresholds (LOFF.COMP_TH, positive side), in percent.</summary>
    public static readonly IReadOnlyList<double> LeadOffThresholds = [95, 92.5, 90, 87.5, 85, 80, 75, 70];

    /// <summary>Reads pipeline.ads1299; the cross-key checks (chip selects per chip) apply only when it is the source.</summary>
    internal static Ads1299Settings Read(ConfigReader r, SourceKind source, int channels)
    {
        const string pin = "a GPIO number from 0 to 511, or -1 when not wired";
        const string requiredPin = "a GPIO number from 0 to 511";
        int spiBus = r.Int("spi-bus", "an SPI bus number from 0 to 7 (/dev/spidevB.C)", n => n is >= 0 and <= 7);
        Ads1299Wiring wiring = r.Choice("wiring", ("daisy", Ads1299Wiring.Daisy), ("per-chip", Ads1299Wiring.PerChip));
        IReadOnlyList<int> chipSelects = ReadChipSelects(r, source, wiring, channels);
        int clockHz = r.Int("clock-hz", $"an SPI clock in Hz from 100000 to {MaxClockHz} (the ADS1299's limit)",
            n => n is >= 100_000 and <= MaxClockHz);
        int gpioChip = r.Int("gpio-chip", "a gpiochip number from 0 to 15 (/dev/gpiochipN)", n => n is >= 0 and <= 15);
        int drdy = r.Int("drdy-pin", requiredPin, n => n is >= 0 and <= 511);
        int start = r.Int("start-pin", pin, n => n is >= -1 and <= 511);
        int reset = r.Int("reset-pin", pin, n => n is >= -1 and <= 511);
        int pwdn = r.Int("pwdn-pin", pin, n => n is >= -1 and <= 511);
        Ads1299Input input = r.Choice("input",
            ("normal", Ads1299Input.Normal), ("shorted", Ads1299Input.Shorted), ("test-signal", Ads1299Input.TestSignal),
            ("temperature", Ads1299Input.Temperature), ("supply", Ads1299Input.Supply));
        bool bias = r.Switch("bias");
        bool srb1 = r.Switch("srb1");

        var lo = new ConfigReader(r.Object("lead-off", "an object { detection, current, frequency, threshold }"), r.KeyOf("lead-off"));
        bool detection = lo.Switch("detection");
        int current = lo.Choice("current", ("6nA", 6), ("24nA", 24), ("6uA", 6_000), ("24uA", 24_000));
        LeadOffFrequency frequency = lo.Choice("frequency",
            ("dc", LeadOffFrequency.Dc), ("ac-7.8hz", LeadOffFrequency.Ac7_8Hz), ("ac-31.2hz", LeadOffFrequency.Ac31_2Hz),
            ("ac-quarter-rate", LeadOffFrequency.AcQuarterRate));
        double threshold = lo.Double("threshold", "one of " + string.Join(", ", LeadOffThresholds) + " (percent)",
            t => LeadOffThresholds.Contains(t));

        var trigger = new ConfigReader(r.Object("trigger", "an object { pin, edge }"), r.KeyOf("trigger"));
        int triggerPin = trigger.Int("pin", pin, n => n is >= -1 and <= 511);
        TriggerEdge edge = trigger.Choice("edge", ("rising", TriggerEdge.Rising), ("falling", TriggerEdge.Falling), ("both", TriggerEdge.Both));

        int cpu = r.Int("cpu", $"a CPU number from 0 to {Environment.ProcessorCount - 1} on this machine, or -1 for no pinning",
            n => n == -1 || (n >= 0 && n < Math.Max(Environment.ProcessorCount, 1) && n < 64));
        bool impedance = r.Switch("impedance-check");

        if (source == SourceKind.Ads1299)
        {
            var used = new Dictionary<int, string>();
            foreach ((string key, int value) in new[] { ("drdy-pin", drdy), ("start-pin", start), ("reset-pin", reset), ("pwdn-pin", pwdn), ("trigger.pin", triggerPin) })
            {
                if (value < 0) continue;
                // SPI0's own lines on a Raspberry Pi: CE1, CE0, MISO, MOSI, SCLK.
                if (spiBus == 0 && value is >= 7 and <= 11)
                {
                    throw ConfigException.Invalid(r.KeyOf(key), value, "a pin that is not one of SPI0's lines (GPIO 7 to 11)");
                }
                if (used.TryGetValue(value, out string? other))
                {
                    throw ConfigException.Invalid(r.KeyOf(key), value, $"a pin not already used by {r.KeyOf(other)}");
                }
                used[value] = key;
            }
        }

        return new Ads1299Settings(spiBus, chipSelects, wiring, clockHz, gpioChip, drdy, start, reset, pwdn, input, bias, srb1,
            detection, current, frequency, threshold, triggerPin, edge, cpu, impedance);
    }

    private static IReadOnlyList<int> ReadChipSelects(ConfigReader r, SourceKind source, Ads1299Wiring wiring, int channels)
    {
        int chips = channels / 8;
        string allowed = wiring == Ads1299Wiring.Daisy
            ? "one chip select number (0 to 7) in a list, e.g. [0], for the daisy-chained wiring"
            : $"{chips} distinct chip select numbers (0 to 7), one per chip for {channels} channels, e.g. [{string.Join(", ", Enumerable.Range(0, chips))}]";
        IReadOnlyList<string> raw = r.StringList("chip-selects", allowed);
        var values = new List<int>(raw.Count);
        foreach (string text in raw)
        {
            if (!int.TryParse(text.Trim(), out int cs) || cs is < 0 or > 7) throw ConfigException.Invalid(r.KeyOf("chip-selects"), ConfigReader.Shown(r.Raw("chip-selects")!), allowed);
            values.Add(cs);
        }
        bool fits = values.Count > 0 && values.Distinct().Count() == values.Count
            && (source != SourceKind.Ads1299 || values.Count == (wiring == Ads1299Wiring.Daisy ? 1 : chips));
        if (!fits) throw ConfigException.Invalid(r.KeyOf("chip-selects"), ConfigReader.Shown(r.Raw("chip-selects")!), allowed);
        return values;
    }
}
