using Eeg.Pipeline.Configuration;
using Eeg.Shared.Frames;

namespace Eeg.Acquisition.Sources.Ads1299;

/// <summary>
/// The real amplifier as a sample source (pipeline.source = ads1299): waits for DRDY, reads the
/// frame straight into the reader's span, reports lost samples, corrupt status words, lead-off bits
/// and triggers, and measures electrode impedance on request. The chips are brought up (reset, ID,
/// registers) by <see cref="Ads1299SourceFactory"/> before the pipeline starts.
/// </summary>
/// <remarks>
/// Sample index = DRDY edges since <see cref="Start"/> minus one. The ADS1299 has no FIFO: a sample
/// not read before the next DRDY is overwritten, so when the reader wakes up late and several edges
/// were counted, it reads the newest sample and its index jumps over the lost ones; the reader marks
/// the jump as a gap and counts it. A read during which another DRDY fell may mix two conversions:
/// it is marked corrupt (counted in <see cref="TornReads"/>).
/// </remarks>
public sealed class Ads1299Source : ISampleSource, IImpedanceSource
{
    private readonly Ads1299 _device;
    private readonly Ads1299Configuration _acquisition;
    private readonly Ads1299Configuration _impedance;
    private readonly DrdyLine _drdy;
    private readonly TriggerInput? _trigger;
    private readonly ImpedanceMeter _meter;
    private readonly int _cpu;
    private readonly bool _ownsGpio;
    private long _served;
    private long _edgeBase;
    private long _pendingEdges;
    private long _pendingTicks;
    private long _previousTicks = long.MinValue;
    private int _lastGpio;
    private uint _leadOffMaskP;
    private uint _leadOffMaskN;
    private bool _impedanceOn;
    private volatile bool _impedanceRequested;
    private bool _threadPrepared;
    private bool _converting;
    private long _missed;
    private long _corrupt;
    private long _torn;
    private long _switches;

    /// <param name="device">Chips already powered up and configured with <paramref name="configuration"/>.</param>
    /// <param name="configuration">The registers the chips run on (the impedance check changes only the lead-off ones).</param>
    /// <param name="wait">busy-spin spins on DRDY; anything else blocks until the edge wakes the reader.</param>
    /// <param name="trigger">pin and edge of the host trigger input, or pin -1.</param>
    /// <param name="cpu">CPU to pin the reader thread to, or -1.</param>
    /// <param name="ownsGpio">Dispose the GPIO controller with the source.</param>
    public Ads1299Source(Ads1299 device, Ads1299Configuration configuration, WaitStrategyKind wait, (int Pin, TriggerEdge Edge) trigger, int cpu, bool ownsGpio = true)
    {
        _device = device;
        _acquisition = configuration with { ImpedanceCheck = false };
        _impedance = configuration with { ImpedanceCheck = true };
        _impedanceRequested = configuration.ImpedanceCheck;
        _drdy = new DrdyLine(device.Gpio, device.DataReadyPin, wait);
        _trigger = trigger.Pin >= 0 ? new TriggerInput(device.Gpio, trigger.Pin, trigger.Edge) : null;
        _meter = new ImpedanceMeter(device.Channels, configuration.SampleRate, configuration.VoltsPerCount, configuration.LeadOffCurrentAmps);
        _cpu = cpu;
        _ownsGpio = ownsGpio;
        SetLeadOffMasks(configuration);
    }

    public string Name => "ads1299";
    public int Channels => _device.Channels;
    public int SampleRate => _acquisition.SampleRate;

    /// <summary>Always: DRDY does not wait for the reader, and the chip has no FIFO.</summary>
    public bool IsRealTime => true;

    /// <summary>The chips.</summary>
    public Ads1299 Device => _device;

    /// <summary>DRDY edges whose sample was overwritten before the reader got to it.</summary>
    public long MissedSamples => Interlocked.Read(ref _missed);

    /// <summary>Samples whose status word did not start with 1100, or whose read overlapped the next DRDY.</summary>
    public long CorruptSamples => Interlocked.Read(ref _corrupt);

    /// <summary>Reads during which the next DRDY fell (included in <see cref="CorruptSamples"/>).</summary>
    public long TornReads => Interlocked.Read(ref _torn);

    /// <summary>Host trigger edges that reached the reader after their sample (attached one sample late).</summary>
    public long LateTriggers => _trigger?.LateTriggers ?? 0;

    /// <summary>Host trigger edges dropped because their queue was full.</summary>
    public long DroppedTriggers => _trigger?.DroppedTriggers ?? 0;

    /// <summary>The host trigger input, when one is wired.</summary>
    public TriggerInput? Trigger => _trigger;

    /// <summary>The DRDY line (tests and diagnostics).</summary>
    public DrdyLine Drdy => _drdy;

    /// <summary>Impedance measurements completed.</summary>
    public long ImpedanceMeasurements => _meter.Measurements;

    /// <summary>Lead-off register rewrites done for the impedance check.</summary>
    public long ModeSwitches => Interlocked.Read(ref _switches);

    public bool ImpedanceCheck => _impedanceRequested;

    public void SetImpedanceCheck(bool on) => _impedanceRequested = on;

    public IReadOnlyList<double>? ImpedanceKOhm() => _impedanceRequested && _impedanceOn ? _meter.Snapshot() : null;

    public void Start()
    {
        _drdy.Listen();
        _trigger?.Listen();
        _edgeBase = _drdy.Edges;
        _served = _edgeBase;
        if (_impedanceRequested != _impedanceOn) SwitchMode();
        _device.StartConversions();
        _converting = true;
    }

    public bool WaitForSample(out long drdyTicks)
    {
        if (!_threadPrepared) PrepareReaderThread();
        if (!_drdy.Wait(_served, out _pendingEdges, out _pendingTicks))
        {
            drdyTicks = 0;
            StopConversions();
            return false;
        }
        drdyTicks = _pendingTicks;
        return true;
    }

    public void ReadSample(Span<int> counts, out SampleInfo info)
    {
        // One stack buffer for the transfer (108 bytes for 4 chips), decoded straight into the slab's
        // span: no heap allocation per sample (AllocationTests-style exact test in Ads1299PipelineTests)
        // and no intermediate int[] copy; the cost is the decode loop itself.
        Span<byte> frame = stackalloc byte[_device.FrameBytes];
        _device.ReadFrame(frame);
        bool torn = _drdy.Edges > _pendingEdges;
        Ads1299Frame.Decode(frame, _device.Chips, counts, out Ads1299Frame.Status status);

        long missed = _pendingEdges - _served - 1;
        _served = _pendingEdges;
        if (missed > 0) Interlocked.Add(ref _missed, missed);
        bool corrupt = status.CorruptChips != 0 | torn;
        if (corrupt)
        {
            Interlocked.Increment(ref _corrupt);
            if (torn) Interlocked.Increment(ref _torn);
        }

        info = new SampleInfo
        {
            Index = _pendingEdges - 1 - _edgeBase,
            Corrupt = corrupt,
            LeadOffPositive = corrupt ? 0 : status.LeadOffPositive & _leadOffMaskP,
            LeadOffNegative = corrupt ? 0 : status.LeadOffNegative & _leadOffMaskN,
        };

        // The amplifier's GPIO pins are sampled with the conversion: a change to a non-zero level is a
        // trigger on this very sample. The host pin's triggers wait for a sample without one.
        if (!corrupt)
        {
            int gpio = status.Gpio;
            if (gpio != _lastGpio && gpio != 0)
            {
                info.TriggerCode = gpio;
                info.TriggerSource = TriggerSource.AmplifierGpio;
            }
            _lastGpio = gpio;
        }
        if (info.TriggerCode == 0 && _trigger is not null && _trigger.TryTake(_pendingTicks, _previousTicks, out int code))
        {
            info.TriggerCode = code;
            info.TriggerSource = TriggerSource.HostPin;
        }
        _previousTicks = _pendingTicks;

        if (_impedanceOn)
        {
            // The measurement needs contiguous samples; a gap or a bad sample starts a new window.
            if (missed > 0 || corrupt) _meter.Restart();
            else _meter.Add(counts);
        }
        if (_impedanceRequested != _impedanceOn) SwitchMode();
    }

    public void Stop() => _drdy.Stop();

    public void Dispose()
    {
        Stop();
        _drdy.Dispose();
        _trigger?.Dispose();
        try
        {
            StopConversions();
        }
        catch (IOException)
        {
            // The bus is gone (device unplugged); nothing left to stop.
        }
        _device.Dispose();
        if (_ownsGpio) _device.Gpio.Dispose();
    }

    private void StopConversions()
    {
        if (!_converting) return;
        _converting = false;
        _device.StopConversions();
    }

    // Between two samples, on the reader thread (the only one that talks to the bus once started):
    // a few register writes, ~100 us at 4 MHz. If it overruns the next DRDY, that sample shows as a gap.
    private void SwitchMode()
    {
        Ads1299Configuration next = _impedanceRequested ? _impedance : _acquisition;
        _device.SwitchLeadOff(next);
        _impedanceOn = next.ImpedanceCheck;
        SetLeadOffMasks(next);
        _meter.Restart();
        Interlocked.Increment(ref _switches);
    }

    // The status bits mean something only for inputs with lead-off detection on (datasheet:
    // "ignore LOFF_STATP if the LOFF_SENSP bit is not set"); during the impedance check the
    // comparators see the excitation, not a lead-off, so the bits are masked.
    private void SetLeadOffMasks(Ads1299Configuration c)
    {
        _leadOffMaskP = 0;
        _leadOffMaskN = 0;
        if (c.ImpedanceCheck) return;
        for (int chip = 0; chip < _device.Chips; chip++)
        {
            _leadOffMaskP |= (uint)c.LoffSensP << (8 * chip);
            _leadOffMaskN |= (uint)c.LoffSensN << (8 * chip);
        }
    }

    private void PrepareReaderThread()
    {
        _threadPrepared = true;
        // The pipeline starts its reader at Highest; a host that runs this source on its own thread
        // gets at least AboveNormal, so DRDY wins the core over the web server and the GC's helpers.
        if (Thread.CurrentThread.Priority < ThreadPriority.AboveNormal) Thread.CurrentThread.Priority = ThreadPriority.AboveNormal;
        if (_cpu >= 0)
        {
            string? error = ThreadAffinity.PinCurrentThread(_cpu);
            PinningError = error;
        }
    }

    /// <summary>Why the reader thread could not be pinned to pipeline.ads1299.cpu, or null.</summary>
    public string? PinningError { get; private set; }
}
