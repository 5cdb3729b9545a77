using Eeg.Pipeline.Sinks;
using Eeg.Pipeline.Slabs;
using Eeg.Shared.Frames;

namespace Eeg.Acquisition.FanOut;

/// <summary>
/// A sink called on the DSP thread itself, with no queue and no hop: for framework sinks whose work
/// per frame is tiny, never blocks and never allocates, and that keep their own bounded, lossy
/// queues behind it. The live scope is one: it encodes the frame once into a pooled buffer and
/// offers it to each browser's drop-oldest queue (~30 ns per frame, measured in the gateway).
/// </summary>
/// <remarks>
/// Why: every thread hop on these 2-core machines costs a wake-up (~35-45 us median through a
/// blocking wait, ms at p99 under load). Through its own actor on the low-latency dispatcher the
/// scope measured p99 31 us / p99.9 838 us (yielding) and 164 / 829 us (blocking); inline it is the
/// DSP thread's own latency plus the encoding (docs/perf.md, Pipeline.Latency "scope inline" rows).
/// The cost: the DSP thread does the encoding, and a bug here would stop the DSP thread, so this is
/// never used for plug-ins; an exception is caught, counted as a failure, and the frame released.
/// The latency is recorded after the frame has left for the WebSocket senders.
/// </remarks>
public sealed class InlineFrameSink(string name, SinkCounters counters, Action<Slab> onFrame, Action<StreamDescription> onDescribe) : IFrameSink
{
    public string Name { get; } = name;
    public SinkCounters Counters { get; } = counters;

    public void Offer(Slab slab)
    {
        Counters.CountEnqueued();
        try
        {
            if (!Counters.Failed) onFrame(slab);
            Counters.CountDelivered(slab.LastDrdyTicks);
        }
        catch (Exception ex)
        {
            Counters.Fail($"inline sink '{Name}' threw {ex.GetType().Name}: {ex.Message}");
            Counters.CountDropped();
        }
        finally
        {
            slab.Release();
        }
    }

    public void Describe(StreamDescription description) => onDescribe(description);
}
