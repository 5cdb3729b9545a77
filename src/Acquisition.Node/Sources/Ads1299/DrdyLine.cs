using System.Device.Gpio;
using System.Diagnostics;
using Eeg.Pipeline.Configuration;

namespace Eeg.Acquisition.Sources.Ads1299;

/// <summary>
/// Counts DRDY falling edges and wakes the reader on each: the driver's event thread calls
/// <see cref="OnEdge"/>, the reader blocks in <see cref="Wait"/>.
/// </summary>
/// <remarks>
/// Why not GpioController.WaitForEvent: in System.Device.Gpio 4.2 its libgpiod driver polls a flag
/// with Thread.Sleep(1) and allocates a closure per call (dotnet/iot LibGpiodV1Driver.WaitForEvent):
/// at 4000 samples/s that would lose three samples of four. A registered callback runs on the
/// driver's own thread as soon as the kernel reports the edge; the reader then wakes on a
/// ManualResetEventSlim (a short spin, then a kernel wait), or spins on the counter with
/// wait-strategy = busy-spin.
/// Edges are counted rather than flagged, so that an edge the reader did not get to in time (the
/// chip overwrote that sample) is known: the source turns it into a jump of the sample index.
/// Each edge's timestamp is kept in a small ring indexed by edge number, so the reader takes the
/// time of exactly the edge it serves even if another one arrives meanwhile.
/// </remarks>
public sealed class DrdyLine : IDisposable
{
    private const int TicksRing = 16; // far more edges than can arrive between the reader's two reads of the counter
    private readonly GpioController _gpio;
    private readonly int _pin;
    private readonly bool _spin;
    private readonly long[] _ticks = new long[TicksRing];
    private readonly ManualResetEventSlim _edge = new(false, spinCount: 100);
    private readonly PinChangeEventHandler _handler;
    private long _edges;
    private volatile bool _stopped;
    private bool _registered;

    public DrdyLine(GpioController gpio, int pin, WaitStrategyKind wait)
    {
        _gpio = gpio;
        _pin = pin;
        _spin = wait == WaitStrategyKind.BusySpin;
        _handler = (_, _) => OnEdge(Stopwatch.GetTimestamp());
    }

    /// <summary>Falling edges seen since <see cref="Listen"/>.</summary>
    public long Edges => Volatile.Read(ref _edges);

    /// <summary>Subscribes to the pin's falling edges (the pin must be open as an input).</summary>
    public void Listen()
    {
        if (_registered) return;
        _stopped = false;
        _gpio.RegisterCallbackForPinValueChangedEvent(_pin, PinEventTypes.Falling, _handler);
        _registered = true;
    }

    /// <summary>One falling edge at <paramref name="ticks"/> (the driver's event thread; tests call it directly too).</summary>
    public void OnEdge(long ticks)
    {
        long edge = Volatile.Read(ref _edges);
        _ticks[edge & (TicksRing - 1)] = ticks;
        Volatile.Write(ref _edges, edge + 1); // one writer: the driver's event thread
        if (!_spin) _edge.Set();
    }

    /// <summary>
    /// Blocks until more than <paramref name="served"/> edges have been seen; returns the edge count
    /// and the newest edge's timestamp, or false once <see cref="Stop"/> was called.
    /// </summary>
    public bool Wait(long served, out long edges, out long ticks)
    {
        while (true)
        {
            edges = Volatile.Read(ref _edges);
            if (edges > served)
            {
                ticks = _ticks[(edges - 1) & (TicksRing - 1)];
                return true;
            }
            if (_stopped)
            {
                ticks = 0;
                return false;
            }
            if (_spin)
            {
                Thread.SpinWait(1);
                continue;
            }
            _edge.Reset();
            // Re-check after the reset: an edge counted before it has already set the event we just cleared.
            if (Volatile.Read(ref _edges) > served || _stopped) continue;
            _edge.Wait();
        }
    }

    /// <summary>Makes <see cref="Wait"/> return false. Any thread.</summary>
    public void Stop()
    {
        _stopped = true;
        _edge.Set();
    }

    public void Dispose()
    {
        Stop();
        if (_registered)
        {
            try
            {
                _gpio.UnregisterCallbackForPinValueChangedEvent(_pin, _handler);
            }
            catch (InvalidOperationException)
            {
                // The controller closed the pin already.
            }
            _registered = false;
        }
        _edge.Dispose();
    }
}
