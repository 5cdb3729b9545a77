using System.Device.Gpio;
using Eeg.Acquisition.Sources.Ads1299;
using Eeg.Pipeline.Configuration;
using Eeg.Tests.Acquisition.Node.Ads1299.Emulation;

namespace Eeg.Tests.Acquisition.Node.Ads1299;

/// <summary>Bringing the chips up: the datasheet's sequence on the wire, and the clear refusals.</summary>
[Collection(Ads1299Collection.Name)]
public sealed class Ads1299StartUpTests
{
    [Fact]
    public void Start_up_puts_the_datasheet_power_up_sequence_on_the_bus_byte_for_byte()
    {
        PipelineSettings settings = Ads1299Rig.SettingsFor(4, Ads1299Wiring.Daisy);
        using var board = new EmulatedBoard(4, Ads1299Wiring.Daisy) { Recording = true };
        using Ads1299Source source = Ads1299SourceFactory.Create(settings, board, probe: false);
        source.Start();

        // Datasheet (SBAS499) power-up flow, with this node's register choices for 32 channels
        // daisy-chained at 4000 SPS, gain 24, bias on, SRB1 on, lead-off off. Register traffic runs
        // at 4 MHz (one byte = 2 us >= tSDECODE) and every command ends with one zero byte, so CS
        // rises at least 4 tCLK after the command's last bit.
        byte[][] expected =
        [
            [0x11, 0x00],                                         // SDATAC: the chips wake up in RDATAC, which ignores register commands
            [0x20, 0x00, 0x00, 0x00],                             // RREG ID (1 register): the ID check
            [0x43, 0x00, 0xEC, 0x00],                             // WREG CONFIG3 = EC: internal reference buffer, bias reference and buffer on
            [0x41, 0x01, 0xB2, 0xC0, 0x00],                       // WREG CONFIG1 = B2 (daisy, clock out, 4 kSPS), CONFIG2 = C0 (no test signal)
            [0x44, 0x00, 0x00, 0x00],                             // WREG LOFF = 00 (95 %, 6 nA, DC)
            [0x45, 0x07, 0x60, 0x60, 0x60, 0x60, 0x60, 0x60, 0x60, 0x60, 0x00], // WREG CH1SET..CH8SET = 60 (gain 24, normal input)
            [0x4D, 0x04, 0xFF, 0x00, 0x00, 0x00, 0x00, 0x00],     // WREG BIAS_SENSP = FF, BIAS_SENSN = 00 (SRB1), LOFF_SENSP/N = 00, LOFF_FLIP = 00
            [0x54, 0x03, 0x0F, 0x20, 0x00, 0x00, 0x00],           // WREG GPIO = 0F (inputs), MISC1 = 20 (SRB1), MISC2 = 00, CONFIG4 = 00
            [0x21, 0x16, .. new byte[23], 0x00],                  // RREG CONFIG1..CONFIG4 (23 registers): read back and compared
            [0x10, 0x00],                                         // RDATAC, after START went high
        ];
        Assert.Equal(expected.Length, board.Transfers.Count);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(0, board.Transfers[i].ChipSelect);
            Assert.Equal(Convert.ToHexString(expected[i]), Convert.ToHexString(board.Transfers[i].Bytes));
        }

        // The pins: START low, PWDN high, RESET high, then a reset pulse; START high before RDATAC.
        var pins = settings.Ads1299;
        Assert.Equal(
            new[] { (pins.StartPin, PinValue.Low), (pins.PowerDownPin, PinValue.High), (pins.ResetPin, PinValue.High), (pins.ResetPin, PinValue.Low), (pins.ResetPin, PinValue.High), (pins.StartPin, PinValue.High) },
            board.Gpio.Writes.ToArray());
        Assert.Empty(board.Violations);
        Assert.All(board.Chips, c => Assert.Equal(0xB2, c.Register(1)));
        Assert.All(board.Chips, c => Assert.True(c.ReadDataContinuous && c.Converting));
    }

    [Fact]
    public void Per_chip_wiring_configures_every_chip_on_its_own_chip_select()
    {
        PipelineSettings settings = Ads1299Rig.SettingsFor(4, Ads1299Wiring.PerChip);
        using var board = new EmulatedBoard(4, Ads1299Wiring.PerChip) { Recording = true };
        using Ads1299Source source = Ads1299SourceFactory.Create(settings, board, probe: false);

        // Every chip select sees SDATAC, its own ID read and every write; CONFIG1 says multiple readback, not daisy.
        for (int cs = 0; cs < 4; cs++)
        {
            var mine = board.Transfers.Where(t => t.ChipSelect == cs).Select(t => Convert.ToHexString(t.Bytes)).ToList();
            Assert.Equal("1100", mine[0]);
            Assert.Contains("20000000", mine);
            Assert.Contains("4101F2C000", mine); // CONFIG1 = F2: multiple readback (not daisy), clock out, 4 kSPS
            Assert.Equal(0xF2, board.Chips[cs].Register(1));
        }
        Assert.Empty(board.Violations);
    }

    [Fact]
    public void A_wrong_device_id_is_refused_with_one_clear_line()
    {
        PipelineSettings settings = Ads1299Rig.SettingsFor(1, Ads1299Wiring.Daisy);
        using var board = new EmulatedBoard(1, Ads1299Wiring.Daisy);
        board.Chips[0].Id = 0x3C; // an ADS1299-4

        var error = Assert.Throws<ConfigException>(() => Ads1299SourceFactory.Create(settings, board, probe: false));

        Assert.Equal("pipeline.source = \"ads1299\" cannot start: chip 0 (SPI bus 0, chip select 0) answered ID 0x3C, an 8-channel ADS1299 answers 0x3E (bits 4:0 = 0x1E); this is an ADS1299-4 (4 channels)", error.Message);
        Assert.DoesNotContain('\n', error.Message);
        Assert.All(board.OpenedDevices, d => Assert.True(d.Disposed));
    }

    [Fact]
    public void A_silent_bus_is_refused_as_no_chip_answering()
    {
        PipelineSettings settings = Ads1299Rig.SettingsFor(1, Ads1299Wiring.Daisy);
        using var board = new EmulatedBoard(1, Ads1299Wiring.Daisy);
        board.Chips[0].Id = 0x00;

        var error = Assert.Throws<ConfigException>(() => Ads1299SourceFactory.Create(settings, board, probe: false));

        Assert.Contains("answered ID 0x00", error.Message);
        Assert.Contains("no chip answered: check power, the chip select, DOUT (MISO)", error.Message);
    }

    [Fact]
    public void An_spi_clock_too_slow_to_move_a_daisy_frame_within_one_sample_period_is_refused()
    {
        // 4 chips x 216 bits at 4000 SPS need 3,456,000 Hz.
        PipelineSettings settings = Ads1299Rig.SettingsFor(4, Ads1299Wiring.Daisy, "pipeline.ads1299.clock-hz = 3000000");
        using var board = new EmulatedBoard(4, Ads1299Wiring.Daisy);

        var error = Assert.Throws<ConfigException>(() => Ads1299SourceFactory.Create(settings, board));

        Assert.Equal("pipeline.ads1299.clock-hz = 3000000 is not allowed: an SPI clock of 3000000 Hz is too slow: one 108-byte frame takes 288 us, longer than the 250 us between samples at 4000 SPS; use at least 3456000 Hz (8000000 recommended)", error.Message);
        Assert.Empty(board.Gpio.Writes); // refused before the chips were touched
    }

    [Fact]
    public void The_slowest_clock_that_moves_the_frame_in_time_is_accepted()
    {
        PipelineSettings settings = Ads1299Rig.SettingsFor(4, Ads1299Wiring.Daisy, "pipeline.ads1299.clock-hz = 3456000");
        using var board = new EmulatedBoard(4, Ads1299Wiring.Daisy);
        using Ads1299Source source = Ads1299SourceFactory.Create(settings, board, probe: false);
        Assert.Equal(32, source.Channels);
    }

    [Fact]
    public void A_daisy_chain_missing_a_chip_is_refused_by_the_test_run()
    {
        // The settings say 4 chips, the board has them, but chip 2 sends a status word without 1100.
        PipelineSettings settings = Ads1299Rig.SettingsFor(4, Ads1299Wiring.Daisy);
        using var board = new EmulatedBoard(4, Ads1299Wiring.Daisy, DrdyPacing.Lockstep);
        board.Chips[2].CorruptNextStatus = true;

        var error = Assert.Throws<ConfigException>(() => Ads1299SourceFactory.Create(settings, board));

        Assert.StartsWith("pipeline.source = \"ads1299\" cannot start: chip 2 sent status word 0x80", error.Message);
        Assert.Contains("check that 4 chips are daisy-chained (DOUT to DAISY_IN)", error.Message);
    }

    [Fact]
    public void No_drdy_after_start_is_refused_naming_the_pin()
    {
        PipelineSettings settings = Ads1299Rig.SettingsFor(1, Ads1299Wiring.Daisy);
        using var board = new EmulatedBoard(1, Ads1299Wiring.Daisy, DrdyPacing.Manual); // nothing ticks

        var error = Assert.Throws<ConfigException>(() => Ads1299SourceFactory.Create(settings, board));

        Assert.Equal("pipeline.source = \"ads1299\" cannot start: no DRDY falling edge on GPIO 25 within 1 s of START: check pipeline.ads1299.drdy-pin, start-pin and the chips' clock", error.Message);
    }

    [Fact]
    public void Without_spi_the_node_says_how_to_enable_it_in_one_line()
    {
        PipelineSettings settings = Ads1299Rig.SettingsFor(4, Ads1299Wiring.Daisy);
        string dev = Directory.CreateTempSubdirectory("no-spi").FullName; // no spidev, no gpiochip
        try
        {
            var error = Assert.Throws<ConfigException>(() => Ads1299SourceFactory.Create(settings, new LinuxAds1299Hardware(dev)));

            Assert.Equal($"pipeline.source = \"ads1299\" needs {dev}/spidev0.0, which does not exist: enable SPI (sudo raspi-config, Interface Options, SPI; or dtparam=spi=on in /boot/firmware/config.txt) and reboot", error.Message);
        }
        finally
        {
            Directory.Delete(dev);
        }
    }
}
