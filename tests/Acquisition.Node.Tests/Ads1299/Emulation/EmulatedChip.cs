namespace Eeg.Tests.Acquisition.Node.Ads1299.Emulation;

/// <summary>
/// One ADS1299 as the datasheet (SBAS499) describes it, byte for byte on its serial interface:
/// registers with their reset values and the ID, the command set, Read Data Continuous and Stop Read
/// Data Continuous modes, RDATA, RREG/WREG with their count byte, the 27-byte frame latched at each
/// DRDY, the internal test signal, temperature and supply inputs, the lead-off current through a
/// configurable electrode impedance, lead-off status bits, the GPIO inputs in the status word.
/// It also checks the host's timing: tSDECODE (4 tCLK between the bytes of a command) and 4 tCLK of
/// clocking after a command before CS rises; each breach is counted in <see cref="Violations"/>.
/// Not thread-safe on its own: the board serializes access.
/// </summary>
public sealed class EmulatedChip
{
    public const double OscillatorHz = 2_048_000;
    public const double ReferenceVolts = 4.5;
    public const int Lsb23 = 1 << 23;

    private static readonly byte[] s_resetValues =
    [
        0x3E, 0x96, 0xC0, 0x60, 0x00, 0x61, 0x61, 0x61, 0x61, 0x61, 0x61, 0x61, 0x61,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0F, 0x00, 0x00, 0x00,
    ];
    private static readonly int[] s_gains = [1, 2, 4, 6, 8, 12, 24, 0];
    private static readonly int[] s_rates = [16000, 8000, 4000, 2000, 1000, 500, 250, 0];

    private readonly byte[] _registers = new byte[24];
    private readonly byte[] _output = new byte[27];
    private readonly int _index;

    // Per-transfer decoding state.
    private int _pendingOpcode;   // RREG/WREG waiting for its count byte, or 0
    private int _address;
    private int _remaining;
    private bool _writing;
    private int _rdataBytes;      // bytes of a frame still to shift out after RDATA
    private int _position;
    private int _lastCommandEnd;
    private bool _commandOpen;
    private int _clockHz;

    public EmulatedChip(int index)
    {
        _index = index;
        PowerOnReset();
    }

    /// <summary>ID register value (0x3E on current silicon); a test sets another to play a wrong chip.</summary>
    public byte Id { get; set; } = 0x3E;

    /// <summary>Read Data Continuous (the mode after power-up and reset): frames shift out after DRDY without a command.</summary>
    public bool ReadDataContinuous { get; private set; }

    /// <summary>Conversions run (START pin high or the START command, and not powered down).</summary>
    public bool Converting => (StartPin || _startCommand) && PowerDownPin && !_standby;

    public bool StartPin { get; set; }
    public bool PowerDownPin { get; set; } = true;
    private bool _startCommand;
    private bool _standby;

    /// <summary>Breaches of the serial timing (tSDECODE, CS raised before 4 tCLK) and register commands sent in Read Data Continuous mode.</summary>
    public List<string> Violations { get; } = new();

    /// <summary>Impedance of each channel's P electrode, ohms (the lead-off current flows through it).</summary>
    public double[] ElectrodeOhms { get; } = Enumerable.Repeat(5_000.0, 8).ToArray();

    /// <summary>Electrodes that are off: the lead-off comparators trip when detection is on.</summary>
    public bool[] ElectrodeOff { get; } = new bool[8];

    /// <summary>Exact 24-bit output codes per channel, overriding the analog model (sign-extension tests).</summary>
    public int?[] ForcedCodes { get; } = new int?[8];

    /// <summary>Levels of GPIO4..GPIO1 inputs (bit 3..0).</summary>
    public int GpioInputs { get; set; }

    /// <summary>The next latched frame gets a status word without the 1100 sync nibble.</summary>
    public bool CorruptNextStatus { get; set; }

    /// <summary>Electrode voltage (volts) of channel c (0-7) at sample n, before the lead-off excitation.</summary>
    public Func<long, int, double> Electrode { get; set; } = (n, c) => 20e-6 * Math.Sin(2 * Math.PI * 10 * n / 4000.0 + c);

    public byte Register(int address) => _registers[address];

    /// <summary>Byte <paramref name="i"/> of the latched frame, as DOUT shifts it out.</summary>
    public byte OutputByte(int i) => _output[i];

    public int SampleRate => s_rates[_registers[1] & 7];

    public void PowerOnReset()
    {
        s_resetValues.CopyTo(_registers, 0);
        _registers[0] = Id;
        ReadDataContinuous = true;
        _startCommand = false;
        _standby = false;
        Array.Clear(_output);
    }

    public void BeginTransfer(int clockHz)
    {
        _clockHz = clockHz;
        _position = 0;
        _pendingOpcode = 0;
        _remaining = 0;
        _rdataBytes = 0;
        _commandOpen = false;
        _lastCommandEnd = 0;
    }

    /// <summary>One byte clocked: <paramref name="din"/> in, the returned byte out.</summary>
    public byte Exchange(byte din, bool dataReady)
    {
        byte dout = 0;
        int position = _position++;
        double byteSeconds = 8.0 / _clockHz;
        if (_pendingOpcode != 0)
        {
            CheckDecodeTime(byteSeconds);
            _remaining = (din & 0x1F) + 1;
            _writing = (_pendingOpcode & 0xE0) == 0x40;
            _address = _pendingOpcode & 0x1F;
            _pendingOpcode = 0;
            _commandOpen = true;
            _lastCommandEnd = _position;
            return 0;
        }
        if (_remaining > 0)
        {
            if (_writing) CheckDecodeTime(byteSeconds);
            if (_address < _registers.Length)
            {
                if (_writing) WriteRegister(_address, din);
                else dout = _registers[_address];
            }
            _address++;
            _remaining--;
            if (_writing) _lastCommandEnd = _position;
            return dout;
        }
        if (_rdataBytes > 0)
        {
            dout = _output[27 - _rdataBytes];
            _rdataBytes--;
        }
        else if (ReadDataContinuous && dataReady && position < 27)
        {
            dout = _output[position];
        }
        if (din == 0) return dout;

        _commandOpen = true;
        _lastCommandEnd = _position;
        switch (din)
        {
            case 0x02: _standby = false; break;
            case 0x04: _standby = true; break;
            case 0x06: PowerOnReset(); break;
            case 0x08: _startCommand = true; break;
            case 0x0A: _startCommand = false; break;
            case 0x10: ReadDataContinuous = true; break;
            case 0x11: ReadDataContinuous = false; break;
            case 0x12: _rdataBytes = 27; break;
            default:
                if (din is >= 0x20 and <= 0x5F)
                {
                    if (ReadDataContinuous)
                    {
                        Violations.Add($"chip {_index}: register command 0x{din:X2} in Read Data Continuous mode (ignored; send SDATAC first)");
                        _pendingOpcode = 0;
                        _remaining = 0;
                    }
                    else
                    {
                        _pendingOpcode = din;
                    }
                }
                break;
        }
        return dout;
    }

    public void EndTransfer()
    {
        if (_pendingOpcode != 0 || (_remaining > 0 && _writing))
        {
            Violations.Add($"chip {_index}: CS raised in the middle of a command");
        }
        if (_commandOpen)
        {
            double trailing = (_position - _lastCommandEnd) * 8.0 / _clockHz;
            if (trailing < 4 / OscillatorHz)
            {
                Violations.Add($"chip {_index}: CS raised {trailing * 1e6:0.00} us after a command, the datasheet asks for 4 tCLK ({4 / OscillatorHz * 1e6:0.00} us)");
            }
        }
    }

    /// <summary>A conversion completes: the frame for sample <paramref name="n"/> is latched (DRDY falls next).</summary>
    public void Latch(long n)
    {
        int loffStatP = 0, loffStatN = 0;
        bool comparators = (_registers[0x17] & 0x02) != 0;
        for (int c = 0; c < 8; c++)
        {
            if (!comparators || !ElectrodeOff[c]) continue;
            if ((_registers[0x0F] & (1 << c)) != 0) loffStatP |= 1 << c;
            if ((_registers[0x10] & (1 << c)) != 0) loffStatN |= 1 << c;
        }
        _registers[0x12] = (byte)loffStatP;
        _registers[0x13] = (byte)loffStatN;
        int gpioControl = _registers[0x14] & 0x0F;
        int gpioData = (_registers[0x14] >> 4) & ~gpioControl | (GpioInputs & gpioControl);
        _registers[0x14] = (byte)((gpioData << 4) | gpioControl);

        _output[0] = (byte)(0xC0 | (loffStatP >> 4));
        _output[1] = (byte)(((loffStatP & 0x0F) << 4) | (loffStatN >> 4));
        _output[2] = (byte)(((loffStatN & 0x0F) << 4) | gpioData);
        if (CorruptNextStatus)
        {
            _output[0] = (byte)(0x80 | (_output[0] & 0x0F));
            CorruptNextStatus = false;
        }
        for (int c = 0; c < 8; c++)
        {
            int code = ForcedCodes[c] ?? Code(c, n);
            int o = 3 + 3 * c;
            _output[o] = (byte)(code >> 16);
            _output[o + 1] = (byte)(code >> 8);
            _output[o + 2] = (byte)code;
        }
    }

    private int Code(int c, long n)
    {
        byte chSet = _registers[0x05 + c];
        if ((chSet & 0x80) != 0) return 0; // powered down
        int gain = s_gains[(chSet >> 4) & 7];
        double volts = (chSet & 7) switch
        {
            0b000 => Electrode(n, c) + LeadOffVolts(c, n),
            0b011 => 2.5,                 // MVDD: (AVDD - AVSS) / 2 on a 5 V supply
            0b100 => 0.1453,              // temperature sensor at 25 degrees C: 145.3 mV
            0b101 => TestSignal(n),
            _ => 0.0,                     // shorted, bias measurement, bias drive
        };
        double counts = Math.Round(volts * gain * Lsb23 / ReferenceVolts);
        return (int)Math.Clamp(counts, -Lsb23, Lsb23 - 1);
    }

    // The lead-off current source on the P input drives I through the electrode: I x Z at the input.
    private double LeadOffVolts(int c, long n)
    {
        if ((_registers[0x0F] & (1 << c)) == 0) return 0;
        double amps = ((_registers[0x04] >> 2) & 3) switch { 0 => 6e-9, 1 => 24e-9, 2 => 6e-6, _ => 24e-6 };
        double ohms = ElectrodeOff[c] ? 1e9 : ElectrodeOhms[c];
        double shape = (_registers[0x04] & 3) switch
        {
            0 => 1.0,                                                       // DC
            1 => Square(n, SampleRate / 7.8125),                            // AC at 7.8 Hz
            2 => Square(n, SampleRate / 31.25),                             // AC at 31.2 Hz
            _ => (n & 3) < 2 ? 1.0 : -1.0,                                  // AC at fDR/4: +, +, -, -
        };
        return amps * ohms * shape;
    }

    // CONFIG2: INT_CAL, CAL_AMP0 (1 or 2 x Vref / 2.4 mV), CAL_FREQ (fCLK/2^21, fCLK/2^20, DC).
    private double TestSignal(long n)
    {
        byte config2 = _registers[0x02];
        if ((config2 & 0x10) == 0) return 0;
        double amplitude = ((config2 & 0x04) != 0 ? 2 : 1) * ReferenceVolts / 2.4 * 1e-3;
        return (config2 & 3) switch
        {
            0 => amplitude * Square(n, (double)SampleRate * (1 << 21) / OscillatorHz),
            1 => amplitude * Square(n, (double)SampleRate * (1 << 20) / OscillatorHz),
            _ => amplitude,
        };
    }

    private static double Square(long n, double periodSamples) => n % periodSamples < periodSamples / 2 ? 1.0 : -1.0;

    private void WriteRegister(int address, byte value)
    {
        switch (address)
        {
            case 0x00 or 0x12 or 0x13: return; // read-only
            case 0x03: _registers[3] = (byte)((value & 0xFE) | (_registers[3] & 0x01)); return; // BIAS_STAT read-only
            default: _registers[address] = value; return;
        }
    }

    private void CheckDecodeTime(double byteSeconds)
    {
        if (byteSeconds < 4 / OscillatorHz)
        {
            Violations.Add($"chip {_index}: command bytes {byteSeconds * 1e6:0.00} us apart at {_clockHz} Hz, tSDECODE is 4 tCLK ({4 / OscillatorHz * 1e6:0.00} us)");
        }
    }
}
