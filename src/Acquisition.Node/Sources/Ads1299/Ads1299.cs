using System.Device.Gpio;
using System.Device.Spi;
using System.Diagnostics;

namespace Eeg.Acquisition.Sources.Ads1299;

/// <summary>
/// One or more TI ADS1299 (8-channel, 24-bit biopotential ADC) on an SPI bus, in the manner of a
/// dotnet/iot device binding: commands, register access, the power-up sequence and frame reads.
/// Waiting for DRDY, indices and triggers are <see cref="Ads1299Source"/>'s business.
/// </summary>
/// <remarks>
/// Wirings: one data <see cref="SpiDevice"/> for daisy-chained chips (one chip select, DOUT of chip
/// k+1 into DAISY_IN of chip k), or one per chip. Register writes reach every chip (daisy-chained
/// chips share DIN and cannot be told apart); register reads and the ID come from the first chip only
/// when daisy-chained, so every chip's presence is proven instead by its status word.
/// Timing the datasheet asks for and how it is met:
/// <list type="bullet">
/// <item>tSDECODE: 4 tCLK (1.96 us at fCLK = 2.048 MHz) between the bytes of a multi-byte command.
/// Register traffic goes through control devices clocked at most at <see cref="MaxRegisterClockHz"/>,
/// where one byte lasts at least 4 tCLK; data reads carry no command and run at the full clock.</item>
/// <item>4 tCLK after the last SCLK before CS rises: every command is followed by zero bytes lasting at
/// least 4 tCLK (0x00 is no command; Read Data Continuous reads clock zeros too).</item>
/// <item>4 tCLK before the next command after SDATAC and other single-byte commands: <see cref="Settle"/>.</item>
/// </list>
/// </remarks>
public sealed class Ads1299 : IDisposable
{
    /// <summary>The internal oscillator's frequency, fCLK.</summary>
    public const int OscillatorHz = 2_048_000;

    /// <summary>ID bits 4:0 of an 8-channel ADS1299 (1, DEV_ID = 11, NU_CH = 10); bits 7:5 are the revision.</summary>
    public const byte ExpectedId = 0x1E;

    /// <summary>The ID bits that identify the device (the revision bits are not checked).</summary>
    public const byte IdMask = 0x1F;

    /// <summary>Fastest SCLK at which one byte lasts 4 tCLK, so a multi-byte command needs no gaps: 8 bits x fCLK / 4.</summary>
    public const int MaxRegisterClockHz = OscillatorHz * 2;

    /// <summary>Highest register address (CONFIG4).</summary>
    public const int LastRegister = (int)Register.Config4;

    private static readonly double s_tclkSeconds = 1.0 / OscillatorHz;

    private readonly SpiDevice[] _data;
    private readonly SpiDevice[] _control;
    private readonly GpioController _gpio;
    private readonly Ads1299Pins _pins;
    private readonly int _commandPadBytes;
    private readonly byte[] _zeros;

    /// <param name="data">Data devices: one for daisy-chained chips, or one per chip (chip select order = chip order).</param>
    /// <param name="chips">Number of chips (1 to 4).</param>
    /// <param name="gpio">The controller the pins belong to.</param>
    /// <param name="pins">DRDY, and START, RESET, PWDN where wired.</param>
    /// <param name="control">Devices for register traffic, same chip selects, clocked at most at
    /// <see cref="MaxRegisterClockHz"/>; null when the data devices are slow enough themselves.</param>
    public Ads1299(IReadOnlyList<SpiDevice> data, int chips, GpioController gpio, Ads1299Pins pins, IReadOnlyList<SpiDevice>? control = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(gpio);
        if (chips is < 1 or > 4) throw new ArgumentOutOfRangeException(nameof(chips), chips, "1 to 4 chips");
        if (data.Count != 1 && data.Count != chips)
        {
            throw new ArgumentException($"{data.Count} SPI devices for {chips} chips: give one (daisy chain) or one per chip", nameof(data));
        }
        control ??= data;
        if (control.Count != data.Count) throw new ArgumentException("one control device per data device", nameof(control));
        foreach (SpiDevice device in control)
        {
            if (device.ConnectionSettings.ClockFrequency > MaxRegisterClockHz)
            {
                throw new Ads1299Exception(
                    $"register access at {device.ConnectionSettings.ClockFrequency} Hz is too fast for the ADS1299: bytes of a command must be 4 tCLK (1.96 us) apart, so at most {MaxRegisterClockHz} Hz; give control devices clocked lower");
            }
        }
        foreach (SpiDevice device in data)
        {
            if (device.ConnectionSettings.Mode != SpiMode.Mode1)
            {
                throw new Ads1299Exception($"SPI mode {device.ConnectionSettings.Mode} on bus {device.ConnectionSettings.BusId} chip select {device.ConnectionSettings.ChipSelectLine}: the ADS1299 needs mode 1 (CPOL 0, CPHA 1)");
            }
        }
        _data = data.ToArray();
        _control = control.ToArray();
        Chips = chips;
        _gpio = gpio;
        _pins = pins;
        double controlByteSeconds = 8.0 / _control.Min(d => d.ConnectionSettings.ClockFrequency);
        _commandPadBytes = Math.Max(1, (int)Math.Ceiling(4 * s_tclkSeconds / controlByteSeconds));
        _zeros = new byte[Ads1299Frame.BytesPerChip * chips];
    }

    /// <summary>Chips on the bus.</summary>
    public int Chips { get; }

    /// <summary>Channels in all (8 per chip).</summary>
    public int Channels => Chips * Ads1299Frame.ChannelsPerChip;

    /// <summary>True when the chips are daisy-chained on one chip select.</summary>
    public bool DaisyChained => _data.Length == 1 && Chips > 1;

    /// <summary>Bytes of one DRDY's frame, all chips.</summary>
    public int FrameBytes => Chips * Ads1299Frame.BytesPerChip;

    /// <summary>The DRDY pin (the source waits on its falling edge).</summary>
    public int DataReadyPin => _pins.DataReady;

    /// <summary>The controller the pins belong to.</summary>
    public GpioController Gpio => _gpio;

    /// <summary>
    /// Time one DRDY's frame takes on the bus at the data devices' clock: 216 bits per chip
    /// (datasheet: N_DEVICES x f_DR x (N_BITS x N_CHANNELS + 24) must not exceed f_SCLK).
    /// </summary>
    public double FrameSeconds => (double)Ads1299Frame.BitsPerChip * Chips / _data.Min(d => d.ConnectionSettings.ClockFrequency);

    /// <summary>
    /// Refuses a data rate at which one frame does not cross the bus between two DRDYs: a sample not
    /// read before the next DRDY is overwritten, so such a clock would lose samples all the time.
    /// </summary>
    public void CheckBusSpeed(int sampleRate)
    {
        double period = 1.0 / sampleRate;
        if (FrameSeconds > period)
        {
            int clock = _data.Min(d => d.ConnectionSettings.ClockFrequency);
            long needed = (long)Ads1299Frame.BitsPerChip * Chips * sampleRate;
            throw new Ads1299Exception(
                $"an SPI clock of {clock} Hz is too slow: one {FrameBytes}-byte frame takes {FrameSeconds * 1e6:0} us, longer than the {period * 1e6:0} us between samples at {sampleRate} SPS; use at least {needed} Hz (8000000 recommended)");
        }
    }

    /// <summary>
    /// The datasheet's power-up flow: PWDN and RESET high, wait tPOR (2^18 tCLK), a reset pulse (or
    /// the RESET command), 18 tCLK, then SDATAC (the chips wake up in Read Data Continuous mode, in
    /// which they ignore register commands). START stays low: conversions start in <see cref="StartConversions"/>.
    /// </summary>
    public void PowerUp()
    {
        OpenOutput(_pins.Start, PinValue.Low);
        OpenOutput(_pins.PowerDown, PinValue.High);
        OpenOutput(_pins.Reset, PinValue.High);
        if (!_gpio.IsPinOpen(_pins.DataReady)) _gpio.OpenPin(_pins.DataReady, PinMode.Input);
        Wait(TimeSpan.FromSeconds((1 << 18) * s_tclkSeconds)); // tPOR: 128 ms at 2.048 MHz
        if (_pins.Reset >= 0)
        {
            _gpio.Write(_pins.Reset, PinValue.Low);
            Wait(TimeSpan.FromSeconds(2 * s_tclkSeconds)); // tRST: at least 2 tCLK low
            _gpio.Write(_pins.Reset, PinValue.High);
        }
        else
        {
            SendCommand(Command.Reset);
        }
        Wait(TimeSpan.FromSeconds(18 * s_tclkSeconds)); // registers to reset values, conversion cycle restarted
        SendCommand(Command.StopReadDataContinuous);
    }

    /// <summary>Reads the ID register of every chip that can be read alone and refuses anything but an 8-channel ADS1299.</summary>
    public void CheckId()
    {
        int readable = DaisyChained ? 1 : Chips;
        Span<byte> id = stackalloc byte[1];
        for (int chip = 0; chip < readable; chip++)
        {
            ReadRegisters(chip, Register.Id, id);
            if ((id[0] & IdMask) != ExpectedId)
            {
                throw new Ads1299Exception(
                    $"chip {chip} (SPI bus {_control[chip].ConnectionSettings.BusId}, chip select {_control[chip].ConnectionSettings.ChipSelectLine}) answered ID 0x{id[0]:X2}, "
                    + $"an 8-channel ADS1299 answers 0x{ExpectedId | 0x20:X2} (bits 4:0 = 0x{ExpectedId:X2}); {Describe(id[0])}");
            }
        }
    }

    /// <summary>
    /// Writes the configuration in the datasheet's order (reference first and its settling time, then
    /// the data rate, test signal, lead-off, channels, bias and lead-off routing, GPIO, SRB1, CONFIG4)
    /// and reads it back: a register that does not read back means a broken DIN line or a dead chip.
    /// </summary>
    public void Configure(Ads1299Configuration configuration)
    {
        WriteRegisters(Register.Config3, [configuration.Config3]);
        Wait(TimeSpan.FromMilliseconds(150)); // the internal reference settles (datasheet power-up flow)
        WriteRegisters(Register.Config1, [configuration.Config1, configuration.Config2]);
        WriteRegisters(Register.Loff, [configuration.Loff]);
        Span<byte> channels = stackalloc byte[8];
        channels.Fill(configuration.ChannelSet);
        WriteRegisters(Register.Ch1Set, channels);
        WriteRegisters(Register.BiasSensP, [configuration.BiasSensP, configuration.BiasSensN, configuration.LoffSensP, configuration.LoffSensN, 0x00]);
        WriteRegisters(Register.Gpio, [Ads1299Configuration.GpioAllInputs, configuration.Misc1, 0x00, configuration.Config4]);
        VerifyRegisters(configuration);
    }

    /// <summary>START high (or the START command), then Read Data Continuous: a frame after every DRDY.</summary>
    public void StartConversions()
    {
        if (_pins.Start >= 0) _gpio.Write(_pins.Start, PinValue.High);
        else SendCommand(Command.Start);
        SendCommand(Command.ReadDataContinuous);
    }

    /// <summary>Stops Read Data Continuous and the conversions.</summary>
    public void StopConversions()
    {
        SendCommand(Command.StopReadDataContinuous);
        if (_pins.Start >= 0) _gpio.Write(_pins.Start, PinValue.Low);
        else SendCommand(Command.Stop);
    }

    /// <summary>
    /// Rewrites the lead-off registers while conversions run (impedance check on or off): SDATAC,
    /// LOFF, LOFF_SENSP/N, CONFIG4, RDATAC. Called on the reader thread between two DRDYs; allocates
    /// nothing. CONFIG1 is not touched, so the digital filter is not reset.
    /// </summary>
    public void SwitchLeadOff(Ads1299Configuration configuration)
    {
        SendCommand(Command.StopReadDataContinuous);
        Span<byte> one = stackalloc byte[1];
        one[0] = configuration.Loff;
        WriteRegisters(Register.Loff, one);
        Span<byte> sense = stackalloc byte[2];
        sense[0] = configuration.LoffSensP;
        sense[1] = configuration.LoffSensN;
        WriteRegisters(Register.LoffSensP, sense);
        one[0] = configuration.Config4;
        WriteRegisters(Register.Config4, one);
        SendCommand(Command.ReadDataContinuous);
    }

    /// <summary>
    /// Reads one DRDY's frame in Read Data Continuous mode into <paramref name="frame"/> (<see cref="FrameBytes"/>
    /// long): zeros out (no command), 27 bytes per chip in. Allocates nothing.
    /// </summary>
    public void ReadFrame(Span<byte> frame)
    {
        if (_data.Length == 1)
        {
            _data[0].TransferFullDuplex(_zeros.AsSpan(0, frame.Length), frame);
            return;
        }
        for (int chip = 0; chip < _data.Length; chip++)
        {
            _data[chip].TransferFullDuplex(_zeros.AsSpan(0, Ads1299Frame.BytesPerChip), frame.Slice(chip * Ads1299Frame.BytesPerChip, Ads1299Frame.BytesPerChip));
        }
    }

    /// <summary>Sends a one-byte command to every chip, then waits 4 tCLK before anything else may follow.</summary>
    public void SendCommand(Command command)
    {
        Span<byte> bytes = stackalloc byte[1 + _commandPadBytes];
        bytes.Clear();
        bytes[0] = (byte)command;
        foreach (SpiDevice device in _control) device.Write(bytes);
        Settle();
    }

    /// <summary>WREG: writes consecutive registers of every chip, starting at <paramref name="first"/>.</summary>
    public void WriteRegisters(Register first, ReadOnlySpan<byte> values)
    {
        CheckRange(first, values.Length);
        Span<byte> bytes = stackalloc byte[2 + values.Length + _commandPadBytes];
        bytes.Clear();
        bytes[0] = (byte)((byte)Command.WriteRegister | (byte)first);
        bytes[1] = (byte)(values.Length - 1);
        values.CopyTo(bytes[2..]);
        foreach (SpiDevice device in _control) device.Write(bytes);
        Settle();
    }

    /// <summary>RREG: reads consecutive registers of one chip (the first, when daisy-chained).</summary>
    public void ReadRegisters(int chip, Register first, Span<byte> values)
    {
        CheckRange(first, values.Length);
        Span<byte> tx = stackalloc byte[2 + values.Length + _commandPadBytes];
        Span<byte> rx = stackalloc byte[tx.Length];
        tx.Clear();
        tx[0] = (byte)((byte)Command.ReadRegister | (byte)first);
        tx[1] = (byte)(values.Length - 1);
        _control[DaisyChained ? 0 : chip].TransferFullDuplex(tx, rx);
        rx.Slice(2, values.Length).CopyTo(values);
        Settle();
    }

    public void Dispose()
    {
        foreach (SpiDevice device in _data.Concat(_control).Distinct()) device.Dispose();
    }

    private void VerifyRegisters(Ads1299Configuration c)
    {
        Span<byte> actual = stackalloc byte[LastRegister];
        byte[] expected =
        [
            c.Config1, c.Config2, 0, c.Loff, c.ChannelSet, c.ChannelSet, c.ChannelSet, c.ChannelSet, c.ChannelSet, c.ChannelSet, c.ChannelSet, c.ChannelSet,
            c.BiasSensP, c.BiasSensN, c.LoffSensP, c.LoffSensN, 0, 0, 0, 0, c.Misc1, 0, c.Config4,
        ];
        int readable = DaisyChained ? 1 : Chips;
        for (int chip = 0; chip < readable; chip++)
        {
            ReadRegisters(chip, Register.Config1, actual);
            for (int i = 0; i < actual.Length; i++)
            {
                var register = (Register)(i + 1);
                // Read-only and input bits vary: BIAS_STAT, LOFF_STATP/N, the GPIO data bits.
                byte mask = register switch
                {
                    Register.Config3 => 0xFE,
                    Register.LoffStatP or Register.LoffStatN => 0x00,
                    Register.Gpio => 0x0F,
                    _ => 0xFF,
                };
                byte want = register switch
                {
                    Register.Config3 => c.Config3,
                    Register.Gpio => Ads1299Configuration.GpioAllInputs,
                    _ => expected[i],
                };
                if ((actual[i] & mask) != (want & mask))
                {
                    throw new Ads1299Exception(
                        $"chip {chip}: register {register} reads back 0x{actual[i]:X2} after 0x{want:X2} was written; check the DIN (MOSI) line and the chip's supply");
                }
            }
        }
    }

    private void OpenOutput(int pin, PinValue value)
    {
        if (pin < 0) return;
        if (_gpio.IsPinOpen(pin)) _gpio.Write(pin, value);
        else _gpio.OpenPin(pin, PinMode.Output, value);
    }

    private static void CheckRange(Register first, int count)
    {
        if (count < 1 || (int)first + count - 1 > LastRegister) throw new ArgumentOutOfRangeException(nameof(count), count, $"registers {first} to {(int)first + count - 1} are not all on the chip");
    }

    private static string Describe(byte id) => (id & IdMask) switch
    {
        0x1C => "this is an ADS1299-4 (4 channels)",
        0x1D => "this is an ADS1299-6 (6 channels)",
        _ when id is 0x00 or 0xFF => "no chip answered: check power, the chip select, DOUT (MISO) and that RESET and PWDN are high",
        _ => "not an ADS1299: check the wiring and pipeline.ads1299.chip-selects",
    };

    /// <summary>The 4 tCLK (1.96 us) a command needs before the next one: a short spin, start-up and mode switches only.</summary>
    private static void Settle() => Wait(TimeSpan.FromSeconds(4 * s_tclkSeconds));

    // Datasheet waits. Microseconds are spun (Thread.Sleep's granularity is a millisecond or worse);
    // longer waits sleep. Used at start-up and on the rare lead-off switch, never per sample.
    private static void Wait(TimeSpan time)
    {
        if (time >= TimeSpan.FromMilliseconds(2))
        {
            Thread.Sleep(time);
            return;
        }
        long until = Stopwatch.GetTimestamp() + (long)Math.Ceiling(time.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < until) Thread.SpinWait(8);
    }
}
