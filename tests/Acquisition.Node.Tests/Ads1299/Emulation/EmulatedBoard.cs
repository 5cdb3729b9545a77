using System.Device.Gpio;
using System.Device.Spi;
using System.Diagnostics;
using Eeg.Acquisition.Sources.Ads1299;
using Eeg.Pipeline.Configuration;

namespace Eeg.Tests.Acquisition.Node.Ads1299.Emulation;

/// <summary>How the emulated board's DRDY falls.</summary>
public enum DrdyPacing
{
    /// <summary>Only when the test calls <see cref="EmulatedBoard.Tick"/> (on the test's thread).</summary>
    Manual,
    /// <summary>A thread ticks at the data rate, read or not: the real chip.</summary>
    Timer,
    /// <summary>A thread ticks as soon as the previous frame was read: every sample is read, never lost (pipeline tests on a noisy machine).</summary>
    Lockstep,
}

/// <summary>
/// A board of emulated ADS1299 chips behind fake SPI chip selects and a fake GPIO controller, wired
/// daisy-chained (one chip select: DIN and CS shared, chip k+1's DOUT shifted out through chip k) or
/// one chip select per chip. DRDY of the first chip goes to <see cref="Pins"/>.DataReady. It is also
/// the <see cref="IAds1299Hardware"/> the driver opens.
/// </summary>
public sealed class EmulatedBoard : IAds1299Hardware, IDisposable
{
    private readonly object _gate = new();
    private readonly EmulatedChip[] _chips;
    private readonly EmulatedChip[][] _alone; // per-chip wiring: the chip a chip select reaches, pre-built so a transfer allocates nothing
    private readonly Thread? _ticker;
    private readonly SemaphoreSlim _readDone = new(0);
    private volatile bool _disposed;
    private long _sample;
    private bool _wasConverting;
    private int _unreadWaits;

    public EmulatedBoard(int chips, Ads1299Wiring wiring, DrdyPacing pacing = DrdyPacing.Manual, Ads1299Pins? pins = null)
    {
        _chips = Enumerable.Range(0, chips).Select(i => new EmulatedChip(i)).ToArray();
        _alone = _chips.Select(c => new[] { c }).ToArray();
        Wiring = wiring;
        Pacing = pacing;
        Pins = pins ?? new Ads1299Pins(25, 22, 24, 23);
        Gpio = new FakeGpioDriver { OnWrite = OnPinWrite };
        if (pacing != DrdyPacing.Manual)
        {
            _ticker = new Thread(RunTicker) { IsBackground = true, Name = "emulated-drdy" };
            _ticker.Start();
        }
    }

    public Ads1299Wiring Wiring { get; }
    public DrdyPacing Pacing { get; }
    public Ads1299Pins Pins { get; }
    public FakeGpioDriver Gpio { get; }
    public IReadOnlyList<EmulatedChip> Chips => _chips;

    /// <summary>The devices the driver opened (data and control).</summary>
    public List<FakeSpiDevice> OpenedDevices { get; } = new();

    /// <summary>When set, every transfer's DIN bytes are logged (chip select, bytes) in <see cref="Transfers"/>.</summary>
    public bool Recording { get; set; }

    public List<(int ChipSelect, byte[] Bytes)> Transfers { get; } = new();

    /// <summary>DRDY falling edges so far.</summary>
    public long DrdyCount => Interlocked.Read(ref _sample);

    /// <summary>Data frames read (Read Data Continuous transfers).</summary>
    public long FramesRead { get; private set; }

    /// <summary>Every chip's timing and protocol breaches.</summary>
    public IEnumerable<string> Violations => _chips.SelectMany(c => c.Violations);

    /// <summary>The GPIO controller the driver gets (over <see cref="Gpio"/>).</summary>
    public GpioController CreateController() => new(Gpio);

    public Ads1299Buses Open(Ads1299Settings settings, int chips)
    {
        if (chips != _chips.Length) throw new InvalidOperationException($"the emulated board has {_chips.Length} chips, the settings ask for {chips}");
        var data = settings.ChipSelects.Select(cs => Device(cs, settings.ClockHz)).ToArray();
        var control = settings.ChipSelects.Select(cs => Device(cs, Math.Min(settings.ClockHz, 4_000_000))).ToArray();
        return new Ads1299Buses(data, control, CreateController());
    }

    /// <summary>A device on chip select <paramref name="chipSelect"/> (SPI mode 1).</summary>
    public FakeSpiDevice Device(int chipSelect, int clockHz, SpiMode mode = SpiMode.Mode1)
    {
        var device = new FakeSpiDevice(this, new SpiConnectionSettings(0, chipSelect) { ClockFrequency = clockHz, Mode = mode, DataBitLength = 8 });
        lock (_gate) OpenedDevices.Add(device);
        return device;
    }

    /// <summary>One conversion on every running chip, then DRDY falls (callbacks run on this thread).</summary>
    public void Tick()
    {
        lock (_gate)
        {
            if (!_chips[0].Converting) return;
            long n = _sample;
            foreach (EmulatedChip chip in _chips) chip.Latch(n);
            Interlocked.Increment(ref _sample);
        }
        Gpio.RaiseEdge(Pins.DataReady, PinEventTypes.Falling);
    }

    /// <summary>A host trigger edge on <paramref name="pin"/>.</summary>
    public void Trigger(int pin, PinEventTypes edge = PinEventTypes.Rising) => Gpio.RaiseEdge(pin, edge);

    internal void Transfer(int chipSelect, int clockHz, ReadOnlySpan<byte> din, Span<byte> dout)
    {
        bool dataRead;
        lock (_gate)
        {
            if (Recording) Transfers.Add((chipSelect, din.ToArray()));
            EmulatedChip[] selected = Wiring == Ads1299Wiring.Daisy ? _chips : _alone[chipSelect];
            dataRead = selected[0].ReadDataContinuous && !din.ContainsAnyExcept((byte)0);
            foreach (EmulatedChip chip in selected) chip.BeginTransfer(clockHz);
            for (int i = 0; i < din.Length; i++)
            {
                byte first = 0;
                for (int k = 0; k < selected.Length; k++)
                {
                    byte b = selected[k].Exchange(din[i], dataReady: true);
                    if (k == 0) first = b;
                }
                // Daisy-chained, DOUT of chip k+1 reaches the host through chip k after 216 bits.
                dout[i] = dataRead && i / 27 < selected.Length ? selected[i / 27].OutputByte(i % 27) : first;
            }
            foreach (EmulatedChip chip in selected) chip.EndTransfer();
            if (dataRead) FramesRead++;
        }
        if (dataRead && Pacing == DrdyPacing.Lockstep) _readDone.Release();
    }

    private void OnPinWrite(int pin, PinValue value)
    {
        lock (_gate)
        {
            foreach (EmulatedChip chip in _chips)
            {
                if (pin == Pins.Start) chip.StartPin = value == PinValue.High;
                else if (pin == Pins.PowerDown) chip.PowerDownPin = value == PinValue.High;
                else if (pin == Pins.Reset && value == PinValue.High) chip.PowerOnReset(); // reset on the rising end of the pulse
            }
        }
    }

    private void RunTicker()
    {
        long next = Stopwatch.GetTimestamp();
        while (!_disposed)
        {
            bool converting;
            int rate;
            lock (_gate)
            {
                converting = _chips[0].Converting;
                rate = _chips[0].SampleRate;
            }
            if (!converting)
            {
                _wasConverting = false;
                while (_readDone.Wait(0)) { } // reads before a stop do not pace the next start
                Thread.Sleep(1); // the emulator's idle loop, not the driver's data path
                next = Stopwatch.GetTimestamp();
                continue;
            }
            if (Pacing == DrdyPacing.Lockstep)
            {
                // The first conversion after START comes by itself; later ones once the last frame was read.
                // A conversion nobody reads for 2 s was discarded (the driver stopped and restarted
                // the chips in between, e.g. for the impedance check): the chip converts again rather
                // than wait for that read forever, which stalled the impedance test at 2 samples.
                if (_wasConverting && !_readDone.Wait(50) && ++_unreadWaits < 40) continue;
                _unreadWaits = 0;
                _wasConverting = true;
                Tick();
                continue;
            }
            next += Stopwatch.Frequency / rate;
            while (Stopwatch.GetTimestamp() < next)
            {
                if (next - Stopwatch.GetTimestamp() > Stopwatch.Frequency / 500) Thread.Sleep(1);
                else Thread.SpinWait(20);
            }
            Tick();
        }
    }

    public void Dispose()
    {
        _disposed = true;
        _ticker?.Join(TimeSpan.FromSeconds(2));
    }
}
