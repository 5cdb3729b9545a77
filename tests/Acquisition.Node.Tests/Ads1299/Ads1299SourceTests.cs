using Eeg.Acquisition.Sources;
using Eeg.Acquisition.Sources.Ads1299;
using Eeg.Pipeline.Configuration;
using Eeg.Shared.Frames;
using Eeg.Tests.Acquisition.Node.Ads1299.Emulation;

namespace Eeg.Tests.Acquisition.Node.Ads1299;

/// <summary>The source's samples against the emulated chips: channels, values, status word, indices, triggers.</summary>
public sealed class Ads1299SourceTests
{
    // A code no channel can confuse with another: chip in the top bits, channel below, sample in the low bits.
    private static int CodeOf(int chip, int channel) => (chip << 16) | (channel << 12) | 0x123;

    [Theory]
    [InlineData(Ads1299Wiring.Daisy)]
    [InlineData(Ads1299Wiring.PerChip)]
    public void Thirty_two_channels_arrive_in_chip_and_channel_order(Ads1299Wiring wiring)
    {
        using var rig = Ads1299Rig.Create(chips: 4, wiring, prepare: board =>
        {
            for (int chip = 0; chip < 4; chip++)
            {
                for (int c = 0; c < 8; c++) board.Chips[chip].ForcedCodes[c] = CodeOf(chip, c);
            }
        });

        for (int n = 0; n < 3; n++)
        {
            SampleInfo info = rig.Next();
            Assert.Equal(n, info.Index);
            Assert.False(info.Corrupt);
            for (int ch = 0; ch < 32; ch++) Assert.Equal(CodeOf(ch / 8, ch % 8), rig.Counts[ch]);
        }
        Assert.Equal(wiring == Ads1299Wiring.Daisy ? 3 : 3 * 4, rig.Board.FramesRead); // one transfer per chip when per-chip
        Assert.Empty(rig.Board.Violations);
    }

    [Theory]
    [InlineData(0x7FFFFF, 8_388_607)]
    [InlineData(0x800000, -8_388_608)]
    [InlineData(0xFFFFFF, -1)]
    [InlineData(0x000001, 1)]
    [InlineData(0x000000, 0)]
    public void Counts_are_sign_extended_from_24_bits_at_the_extremes(int code, int expected)
    {
        using var rig = Ads1299Rig.Create(chips: 1, prepare: board => Array.Fill(board.Chips[0].ForcedCodes, code));

        rig.Next();

        Assert.All(rig.Counts, c => Assert.Equal(expected, c));
        Assert.Equal(expected, Ads1299Frame.SignExtend24((byte)(code >> 16), (byte)(code >> 8), (byte)code));
    }

    [Fact]
    public void A_corrupt_status_word_is_counted_and_marked_and_the_stream_goes_on()
    {
        using var rig = Ads1299Rig.Create(chips: 4);

        rig.Next();
        rig.Board.Chips[3].CorruptNextStatus = true;
        SampleInfo bad = rig.Next();
        SampleInfo after = rig.Next();

        Assert.True(bad.Corrupt);
        Assert.Equal(1, bad.Index);
        Assert.False(after.Corrupt);
        Assert.Equal(2, after.Index);
        Assert.Equal(1, rig.Source.CorruptSamples);
    }

    [Fact]
    public void A_missed_drdy_makes_the_index_jump_over_the_lost_sample()
    {
        using var rig = Ads1299Rig.Create(chips: 1);

        Assert.Equal(0, rig.Next().Index);
        rig.Board.Tick(); // the reader was late: this conversion is overwritten before anyone reads it
        SampleInfo info = rig.Next();

        Assert.Equal(2, info.Index);
        Assert.Equal(1, rig.Source.MissedSamples);
        Assert.Equal(3, rig.Next().Index);
    }

    [Fact]
    public void The_internal_test_signal_is_the_datasheet_square_wave()
    {
        // 1 x Vref / 2.4 = 1.875 mV at gain 24: 1.875e-3 * 24 * 2^23 / 4.5 = 83886 counts, period fCLK / 2^21 = 4096 samples at 4 kSPS.
        using var rig = Ads1299Rig.Create(chips: 1, hocon: "pipeline.ads1299.input = test-signal");
        var first = new List<int>();
        for (int n = 0; n < 4096; n++)
        {
            rig.Next();
            first.Add(rig.Counts[5]);
        }
        Assert.All(first.Take(2048), c => Assert.Equal(83_886, c));
        Assert.All(first.Skip(2048), c => Assert.Equal(-83_886, c));
        Assert.Equal(0xD0, rig.Board.Chips[0].Register(2));
        Assert.All(Enumerable.Range(5, 8), r => Assert.Equal(0x65, rig.Board.Chips[0].Register(r)));
    }

    [Theory]
    [InlineData("shorted", 0x61, 0)]
    [InlineData("temperature", 0x64, 6_500_612)]   // 145.3 mV at 25 degrees C, gain 24: 0.1453 * 24 * 2^23 / 4.5
    [InlineData("supply", 0x63, 8_388_607)]        // (AVDD - AVSS) / 2 at gain 24 is beyond full scale: clipped
    public void Each_input_multiplexer_setting_reaches_every_channel(string input, int chSet, int counts)
    {
        using var rig = Ads1299Rig.Create(chips: 1, hocon: $"pipeline.ads1299.input = {input}");
        rig.Next();
        Assert.All(Enumerable.Range(5, 8), r => Assert.Equal(chSet, rig.Board.Chips[0].Register(r)));
        Assert.All(rig.Counts, c => Assert.Equal(counts, c));
    }

    [Fact]
    public void Lead_off_bits_of_every_chip_reach_the_sample_per_channel_and_input()
    {
        using var rig = Ads1299Rig.Create(chips: 2, hocon: "pipeline.ads1299.lead-off.detection = on", prepare: board =>
        {
            board.Chips[0].ElectrodeOff[2] = true; // channel 3
            board.Chips[1].ElectrodeOff[7] = true; // channel 16
        });

        SampleInfo info = rig.Next();

        uint expected = (1u << 2) | (1u << 15);
        Assert.Equal(expected, info.LeadOffPositive);
        Assert.Equal(expected, info.LeadOffNegative);
        Assert.Equal(0xFF, rig.Board.Chips[1].Register(0x0F));
        Assert.Equal(0x02, rig.Board.Chips[1].Register(0x17));
    }

    [Fact]
    public void Lead_off_bits_are_ignored_when_detection_is_off()
    {
        using var rig = Ads1299Rig.Create(chips: 1, prepare: board => board.Chips[0].ElectrodeOff[0] = true);
        SampleInfo info = rig.Next();
        Assert.Equal(0u, info.LeadOffPositive | info.LeadOffNegative);
    }

    [Fact]
    public void Host_pin_triggers_land_on_the_sample_whose_conversion_they_fell_in()
    {
        using var rig = Ads1299Rig.Create(chips: 1, hocon: "pipeline.ads1299.trigger { pin = 17, edge = both }");
        var triggers = new Dictionary<long, (int Code, TriggerSource Source)>();
        void Read()
        {
            SampleInfo info = rig.Source.WaitForSample(out _) ? Read2() : throw new InvalidOperationException();
            if (info.TriggerCode != 0) triggers[info.Index] = (info.TriggerCode, info.TriggerSource);
        }
        SampleInfo Read2()
        {
            rig.Source.ReadSample(rig.Counts, out SampleInfo info);
            return info;
        }

        for (int n = 0; n < 10; n++)
        {
            if (n == 4) rig.Board.Trigger(17);                                            // between DRDY 3 and DRDY 4: sample 4
            rig.Board.Tick();
            if (n == 6) rig.Board.Trigger(17, System.Device.Gpio.PinEventTypes.Falling); // after DRDY 6, before it is read: sample 7
            Read();
        }

        Assert.Equal(new Dictionary<long, (int, TriggerSource)>
        {
            [4] = (TriggerInput.RisingCode, TriggerSource.HostPin),
            [7] = (TriggerInput.FallingCode, TriggerSource.HostPin),
        }, triggers);
        Assert.Equal(0, rig.Source.LateTriggers);
    }

    [Fact]
    public void Amplifier_gpio_triggers_land_on_the_sample_that_carries_them()
    {
        using var rig = Ads1299Rig.Create(chips: 2);
        var triggers = new Dictionary<long, (int, TriggerSource)>();
        for (int n = 0; n < 10; n++)
        {
            rig.Board.Chips[0].GpioInputs = n is 3 or 4 ? 0b0101 : n == 8 ? 0b0010 : 0;
            SampleInfo info = rig.Next();
            if (info.TriggerCode != 0) triggers[info.Index] = (info.TriggerCode, info.TriggerSource);
        }

        // A trigger is the level changing to a non-zero code; the level held on sample 4 is not a second trigger.
        Assert.Equal(new Dictionary<long, (int, TriggerSource)>
        {
            [3] = (5, TriggerSource.AmplifierGpio),
            [8] = (2, TriggerSource.AmplifierGpio),
        }, triggers);
    }

    [Fact]
    public void Impedances_are_within_five_percent_of_the_emulated_electrodes()
    {
        double[] ohms = [1_000, 2_200, 5_000, 10_000, 20_000, 47_000, 100_000, 220_000, 3_300, 7_500, 15_000, 33_000, 68_000, 150_000, 500, 12_000];
        var noise = new Random(7);
        using var rig = Ads1299Rig.Create(chips: 2, hocon: "pipeline.ads1299 { impedance-check = on, lead-off.current = 6nA }", prepare: board =>
        {
            for (int ch = 0; ch < 16; ch++) board.Chips[ch / 8].ElectrodeOhms[ch % 8] = ohms[ch];
            // EEG-like content under the excitation: alpha, an electrode offset, drift and noise.
            foreach (EmulatedChip chip in board.Chips)
            {
                chip.Electrode = (n, c) => 30e-6 * Math.Sin(2 * Math.PI * 10 * n / 4000.0 + c) + 0.02 + 1e-6 * n / 4000.0 + 2e-6 * (noise.NextDouble() - 0.5);
            }
        });
        Assert.True(rig.Source.ImpedanceCheck);
        Assert.Null(rig.Source.ImpedanceKOhm()); // nothing measured yet

        for (int n = 0; n < ImpedanceMeter.SettleSamples + 4000; n++) rig.Next();

        IReadOnlyList<double>? kOhm = rig.Source.ImpedanceKOhm();
        Assert.NotNull(kOhm);
        for (int ch = 0; ch < 16; ch++)
        {
            double expected = ohms[ch] / 1000;
            Assert.InRange(kOhm[ch], expected * 0.95, expected * 1.05);
        }
        // The excitation: AC at fDR/4 (FLEAD_OFF = 11), 6 nA, on the P inputs only, comparators powered.
        Assert.Equal(0x03, rig.Board.Chips[0].Register(0x04));
        Assert.Equal(0xFF, rig.Board.Chips[1].Register(0x0F));
        Assert.Equal(0x00, rig.Board.Chips[1].Register(0x10));
        Assert.Empty(rig.Board.Violations);
    }

    [Fact]
    public void The_impedance_check_switches_on_and_off_between_samples_without_losing_one()
    {
        using var rig = Ads1299Rig.Create(chips: 1);
        rig.Next();
        Assert.Equal(0x00, rig.Board.Chips[0].Register(0x04));

        rig.Source.SetImpedanceCheck(true);
        rig.Next(); // the switch happens after this read, before the next DRDY
        Assert.Equal(0x03, rig.Board.Chips[0].Register(0x04));
        Assert.Equal(0xFF, rig.Board.Chips[0].Register(0x0F));
        Assert.True(rig.Board.Chips[0].ReadDataContinuous);

        rig.Source.SetImpedanceCheck(false);
        SampleInfo info = rig.Next();
        Assert.Equal(0x00, rig.Board.Chips[0].Register(0x04));
        Assert.Equal(0x00, rig.Board.Chips[0].Register(0x0F));
        Assert.Null(rig.Source.ImpedanceKOhm());

        Assert.Equal(2, info.Index);
        Assert.Equal(0, rig.Source.MissedSamples);
        Assert.Equal(2, rig.Source.ModeSwitches);
        Assert.Empty(rig.Board.Violations);
    }

    [Fact]
    public async Task Stop_unblocks_the_reader_and_stops_the_conversions()
    {
        using var rig = Ads1299Rig.Create(chips: 1);
        var waiting = Task.Run(() => rig.Source.WaitForSample(out _));
        await Task.Delay(100);
        Assert.False(waiting.IsCompleted); // no DRDY: it waits

        rig.Source.Stop();

        Assert.False(await waiting.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.False(rig.Board.Chips[0].ReadDataContinuous); // SDATAC
        Assert.False(rig.Board.Chips[0].Converting);        // START low
    }
}
