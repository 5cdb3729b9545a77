using Eeg.Pipeline.Configuration;
using Eeg.Tests.Acquisition.Node.Support;

namespace Eeg.Tests.Acquisition.Node.Ads1299;

/// <summary>pipeline.ads1299 as reference.conf has it, and one clear line for each mistake.</summary>
public sealed class Ads1299SettingsTests
{
    [Fact]
    public void The_defaults_are_the_values_written_in_reference_conf()
    {
        Ads1299Settings s = TestSettings.Pipeline().Ads1299;

        Assert.Equal(0, s.SpiBus);
        Assert.Equal([0], s.ChipSelects);
        Assert.Equal(Ads1299Wiring.Daisy, s.Wiring);
        Assert.Equal(8_000_000, s.ClockHz);
        Assert.Equal((25, 22, 24, 23), (s.DrdyPin, s.StartPin, s.ResetPin, s.PowerDownPin));
        Assert.Equal(Ads1299Input.Normal, s.Input);
        Assert.True(s.Bias);
        Assert.True(s.Srb1);
        Assert.False(s.LeadOffDetection);
        Assert.Equal(6, s.LeadOffCurrentNanoamps);
        Assert.Equal(LeadOffFrequency.Dc, s.LeadOffFrequency);
        Assert.Equal(95, s.LeadOffThresholdPercent);
        Assert.Equal((-1, TriggerEdge.Rising), (s.TriggerPin, s.TriggerEdge));
        Assert.Equal(-1, s.Cpu);
        Assert.False(s.ImpedanceCheck);
    }

    [Fact]
    public void A_per_chip_block_is_read_whole()
    {
        Ads1299Settings s = TestSettings.Pipeline("""
            pipeline {
              source = ads1299
              channels = 16
              ads1299 {
                wiring = per-chip
                chip-selects = [0, 1]
                clock-hz = 12000000
                input = test-signal
                lead-off { detection = on, current = 24nA, frequency = ac-quarter-rate, threshold = 87.5 }
                trigger { pin = 17, edge = both }
                impedance-check = on
              }
            }
            """).Ads1299;

        Assert.Equal(Ads1299Wiring.PerChip, s.Wiring);
        Assert.Equal([0, 1], s.ChipSelects);
        Assert.Equal(12_000_000, s.ClockHz);
        Assert.Equal(Ads1299Input.TestSignal, s.Input);
        Assert.Equal((true, 24, LeadOffFrequency.AcQuarterRate, 87.5), (s.LeadOffDetection, s.LeadOffCurrentNanoamps, s.LeadOffFrequency, s.LeadOffThresholdPercent));
        Assert.Equal((17, TriggerEdge.Both), (s.TriggerPin, s.TriggerEdge));
        Assert.True(s.ImpedanceCheck);
    }

    [Theory]
    [InlineData("pipeline.ads1299.wiring = ring",
        "pipeline.ads1299.wiring = \"ring\" is not allowed: daisy | per-chip")]
    [InlineData("pipeline.ads1299.clock-hz = 25000000",
        "pipeline.ads1299.clock-hz = 25000000 is not allowed: an SPI clock in Hz from 100000 to 20000000 (the ADS1299's limit)")]
    [InlineData("pipeline { source = ads1299, ads1299 { wiring = per-chip, chip-selects = [0, 1] } }",
        "pipeline.ads1299.chip-selects = [0, 1] is not allowed: 4 distinct chip select numbers (0 to 7), one per chip for 32 channels, e.g. [0, 1, 2, 3]")]
    [InlineData("pipeline { source = ads1299, ads1299.chip-selects = [0, 1] }",
        "pipeline.ads1299.chip-selects = [0, 1] is not allowed: one chip select number (0 to 7) in a list, e.g. [0], for the daisy-chained wiring")]
    [InlineData("pipeline { source = ads1299, ads1299.drdy-pin = 22 }",
        "pipeline.ads1299.start-pin = 22 is not allowed: a pin not already used by pipeline.ads1299.drdy-pin")]
    [InlineData("pipeline { source = ads1299, ads1299.trigger.pin = 10 }",
        "pipeline.ads1299.trigger.pin = 10 is not allowed: a pin that is not one of SPI0's lines (GPIO 7 to 11)")]
    [InlineData("pipeline.ads1299.lead-off.current = 5nA",
        "pipeline.ads1299.lead-off.current = \"5nA\" is not allowed: 6nA | 24nA | 6uA | 24uA")]
    [InlineData("pipeline.ads1299.lead-off.threshold = 93",
        "pipeline.ads1299.lead-off.threshold = 93 is not allowed: one of 95, 92.5, 90, 87.5, 85, 80, 75, 70 (percent)")]
    [InlineData("pipeline.ads1299.input = eeg",
        "pipeline.ads1299.input = \"eeg\" is not allowed: normal | shorted | test-signal | temperature | supply")]
    [InlineData("pipeline.ads1299.clok-hz = 8000000",
        "pipeline.ads1299.clok-hz is not a known key (hocon/reference.conf lists them all); did you mean pipeline.ads1299.clock-hz?")]
    [InlineData("pipeline.ads1299.trigger.edge = up",
        "pipeline.ads1299.trigger.edge = \"up\" is not allowed: rising | falling | both")]
    public void A_wrong_value_is_refused_in_one_line(string hocon, string message)
    {
        var error = Assert.Throws<ConfigException>(() => TestSettings.Pipeline(hocon));
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Wiring_cross_checks_apply_only_when_the_ads1299_is_the_source()
    {
        // A lab file may keep its amplifier block while a test run uses the simulator.
        Ads1299Settings s = TestSettings.Pipeline("pipeline.ads1299 { wiring = per-chip, chip-selects = [0, 1], drdy-pin = 22 }").Ads1299;
        Assert.Equal(Ads1299Wiring.PerChip, s.Wiring);
    }
}
