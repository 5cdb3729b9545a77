using Akka.Actor;
using Eeg.Pipeline.Slabs;
using Eeg.Shared.Frames;

namespace Eeg.Pipeline.Sinks;

/// <summary>
/// Base of every local sink (scope, recorder, stage host). The fan-out sends it <see cref="Slab"/>
/// messages through the sink's policy mailbox; this class counts the receipt, records the latency,
/// calls <see cref="OnFrame"/> and releases the slab afterwards whatever happens, so a sink that
/// throws (and is restarted by its supervisor) never leaks a slab from the pool.
/// </summary>
public abstract class FrameSinkActor : UntypedActor
{
    protected FrameSinkActor(SinkCounters counters) => Counters = counters;

    /// <summary>This sink's counters (the same object its mailbox counts drops into).</summary>
    protected SinkCounters Counters { get; }

    /// <summary>The stream's description, once it has started.</summary>
    protected StreamDescription? Stream { get; private set; }

    protected sealed override void OnReceive(object message)
    {
        switch (message)
        {
            case Slab slab:
                Counters.CountDelivered(slab.LastDrdyTicks);
                try
                {
                    OnFrame(slab);
                }
                finally
                {
                    slab.Release();
                }
                break;
            case StreamDescription description:
                Stream = description;
                OnStreamStarted(description);
                break;
            default:
                OnControl(message);
                break;
        }
    }

    /// <summary>One frame. The slab is valid only during this call: copy what must be kept.</summary>
    protected abstract void OnFrame(Slab slab);

    /// <summary>The stream started or changed (channel names, rate, filters).</summary>
    protected virtual void OnStreamStarted(StreamDescription description) { }

    /// <summary>Any other message.</summary>
    protected virtual void OnControl(object message) => Unhandled(message);

    protected override void PreRestart(Exception reason, object message)
    {
        Counters.CountRestart();
        base.PreRestart(reason, message);
    }
}
