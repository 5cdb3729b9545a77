using System.Device.Gpio;

namespace Eeg.Tests.Acquisition.Node.Ads1299.Emulation;

/// <summary>
/// A GPIO driver with no hardware behind it: pins keep their mode and level, writes are logged and
/// reported to the emulated board (START, RESET, PWDN), and the board or the test raises edges on
/// input pins, which run the registered callbacks on the caller's thread, as the real driver runs
/// them on its event thread. Raising an edge allocates nothing (the event arguments are cached).
/// </summary>
public sealed class FakeGpioDriver : GpioDriver
{
    private readonly object _gate = new();
    private readonly Dictionary<int, PinMode> _modes = new();
    private readonly Dictionary<int, PinValue> _levels = new();
    private readonly Dictionary<int, (PinEventTypes Types, PinChangeEventHandler Handler)[]> _callbacks = new();
    private readonly Dictionary<(int, PinEventTypes), PinValueChangedEventArgs> _args = new();

    /// <summary>Called after every write to an output pin: (pin, level).</summary>
    public Action<int, PinValue>? OnWrite { get; set; }

    /// <summary>Every write, in order (pin, level).</summary>
    public List<(int Pin, PinValue Value)> Writes { get; } = new();

    protected override int PinCount => 64;

    public bool IsOpen(int pin)
    {
        lock (_gate) return _modes.ContainsKey(pin);
    }

    public PinValue Level(int pin)
    {
        lock (_gate) return _levels.TryGetValue(pin, out PinValue v) ? v : PinValue.Low;
    }

    /// <summary>Raises an edge on <paramref name="pin"/>: its level changes and the matching callbacks run here.</summary>
    public void RaiseEdge(int pin, PinEventTypes edge)
    {
        (PinEventTypes Types, PinChangeEventHandler Handler)[]? callbacks;
        PinValueChangedEventArgs? args;
        lock (_gate)
        {
            _levels[pin] = edge == PinEventTypes.Falling ? PinValue.Low : PinValue.High;
            _callbacks.TryGetValue(pin, out callbacks);
            _args.TryGetValue((pin, edge), out args);
            if (args is null)
            {
                args = new PinValueChangedEventArgs(edge, pin);
                _args[(pin, edge)] = args;
            }
        }
        if (callbacks is null) return;
        foreach ((PinEventTypes types, PinChangeEventHandler handler) in callbacks)
        {
            if ((types & edge) != 0) handler(this, args);
        }
    }

    protected override void OpenPin(int pinNumber)
    {
        lock (_gate) _modes[pinNumber] = PinMode.Input;
    }

    protected override void ClosePin(int pinNumber)
    {
        lock (_gate)
        {
            _modes.Remove(pinNumber);
            _callbacks.Remove(pinNumber);
        }
    }

    protected override void SetPinMode(int pinNumber, PinMode mode)
    {
        lock (_gate) _modes[pinNumber] = mode;
    }

    protected override void SetPinMode(int pinNumber, PinMode mode, PinValue initialValue)
    {
        lock (_gate) _modes[pinNumber] = mode;
        if (mode == PinMode.Output) Write(pinNumber, initialValue);
    }

    protected override PinMode GetPinMode(int pinNumber)
    {
        lock (_gate) return _modes[pinNumber];
    }

    protected override bool IsPinModeSupported(int pinNumber, PinMode mode) => mode is PinMode.Input or PinMode.Output;

    protected override PinValue Read(int pinNumber) => Level(pinNumber);

    protected override void Write(int pinNumber, PinValue value)
    {
        lock (_gate)
        {
            _levels[pinNumber] = value;
            Writes.Add((pinNumber, value));
        }
        OnWrite?.Invoke(pinNumber, value);
    }

    protected override WaitForEventResult WaitForEvent(int pinNumber, PinEventTypes eventTypes, CancellationToken cancellationToken) =>
        throw new NotSupportedException("the ADS1299 source must not poll: it registers a callback");

    protected override void AddCallbackForPinValueChangedEvent(int pinNumber, PinEventTypes eventTypes, PinChangeEventHandler callback)
    {
        lock (_gate)
        {
            _callbacks.TryGetValue(pinNumber, out var existing);
            _callbacks[pinNumber] = [.. existing ?? [], (eventTypes, callback)];
        }
    }

    protected override void RemoveCallbackForPinValueChangedEvent(int pinNumber, PinChangeEventHandler callback)
    {
        lock (_gate)
        {
            if (_callbacks.TryGetValue(pinNumber, out var existing)) _callbacks[pinNumber] = existing.Where(c => c.Handler != callback).ToArray();
        }
    }

    public override GpioChipInfo GetChipInfo() => new(0, "fake", "emulated ADS1299 board", PinCount);
}
