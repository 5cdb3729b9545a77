using System.Device.Gpio;
using System.Diagnostics;
using Eeg.Pipeline.Configuration;

namespace Eeg.Acquisition.Sources.Ads1299;

/// <summary>
/// A host GPIO pin carrying stimulus triggers: each edge is timestamped on the driver's event thread
/// and queued (single producer, single consumer, pre-allocated) until the reader attaches it to a sample.
/// </summary>
/// <remarks>
/// A trigger belongs to the first sample whose DRDY edge comes at or after it: the sample whose
/// conversion was under way when the stimulus came. The timestamp is taken when the driver's thread
/// runs the callback, a few tens of microseconds after the edge on a loaded Pi, so a trigger within
/// that much of a DRDY can land one sample late; a trigger that reaches the queue after its sample was
/// already read is attached to the next one and counted in <see cref="LateTriggers"/>. For
/// sample-exact alignment wire the trigger to the ADS1299's GPIO pins instead: their levels arrive in
/// the status word of the very sample.
/// </remarks>
public sealed class TriggerInput : IDisposable
{
    /// <summary>Triggers that can wait in the queue; at one per sample the reader empties it every 250 us.</summary>
    public const int Capacity = 64;

    /// <summary>Code of a rising edge.</summary>
    public const int RisingCode = 1;

    /// <summary>Code of a falling edge.</summary>
    public const int FallingCode = 2;

    private readonly GpioController _gpio;
    private readonly int _pin;
    private readonly PinEventTypes _edges;
    private readonly long[] _ticks = new long[Capacity];
    private readonly int[] _codes = new int[Capacity];
    private readonly PinChangeEventHandler _handler;
    private long _head; // written by the producer
    private long _tail; // written by the consumer
    private long _dropped;
    private long _late;
    private bool _registered;

    public TriggerInput(GpioController gpio, int pin, TriggerEdge edge)
    {
        _gpio = gpio;
        _pin = pin;
        _edges = edge switch
        {
            TriggerEdge.Rising => PinEventTypes.Rising,
            TriggerEdge.Falling => PinEventTypes.Falling,
            _ => PinEventTypes.Rising | PinEventTypes.Falling,
        };
        _handler = (_, e) => OnEdge(Stopwatch.GetTimestamp(), e.ChangeType == PinEventTypes.Falling ? FallingCode : RisingCode);
    }

    /// <summary>Triggers lost because the queue was full (the reader stalled for 64 triggers).</summary>
    public long DroppedTriggers => Interlocked.Read(ref _dropped);

    /// <summary>Triggers that arrived after their sample had been read; attached to the next sample.</summary>
    public long LateTriggers => Interlocked.Read(ref _late);

    public void Listen()
    {
        if (_registered) return;
        if (!_gpio.IsPinOpen(_pin)) _gpio.OpenPin(_pin, PinMode.Input);
        _gpio.RegisterCallbackForPinValueChangedEvent(_pin, _edges, _handler);
        _registered = true;
    }

    /// <summary>One edge at <paramref name="ticks"/> (driver thread; tests call it directly too).</summary>
    public void OnEdge(long ticks, int code)
    {
        long head = Volatile.Read(ref _head);
        if (head - Volatile.Read(ref _tail) >= Capacity)
        {
            Interlocked.Increment(ref _dropped);
            return;
        }
        _ticks[head & (Capacity - 1)] = ticks;
        _codes[head & (Capacity - 1)] = code;
        Volatile.Write(ref _head, head + 1);
    }

    /// <summary>
    /// The oldest queued trigger if it came at or before <paramref name="drdyTicks"/> (this sample's
    /// DRDY); <paramref name="previousDrdyTicks"/> tells whether it is late. Reader thread only.
    /// </summary>
    public bool TryTake(long drdyTicks, long previousDrdyTicks, out int code)
    {
        long tail = _tail;
        if (tail == Volatile.Read(ref _head) || _ticks[tail & (Capacity - 1)] > drdyTicks)
        {
            code = 0;
            return false;
        }
        if (_ticks[tail & (Capacity - 1)] <= previousDrdyTicks) Interlocked.Increment(ref _late);
        code = _codes[tail & (Capacity - 1)];
        Volatile.Write(ref _tail, tail + 1);
        return true;
    }

    public void Dispose()
    {
        if (!_registered) return;
        try
        {
            _gpio.UnregisterCallbackForPinValueChangedEvent(_pin, _handler);
        }
        catch (InvalidOperationException)
        {
        }
        _registered = false;
    }
}
