using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Dispatch;
using Akka.Dispatch.MessageQueues;
using Eeg.Pipeline.Sinks;
using Eeg.Pipeline.Slabs;

namespace Eeg.Pipeline.Mailboxes;

/// <summary>
/// The message queue behind a sink actor's policy mailbox. Frames (<see cref="Slab"/> messages) go
/// through the sink's <see cref="FramePolicyQueue"/>, which enforces its loss policy in the sender's
/// thread (the fan-out): drop-oldest, drop-newest, decimate or lossless (the Tell blocks up to the
/// timeout, which is Akka's own bounded-mailbox push-timeout semantics). Any other message (stream
/// description, control, status requests) goes to a small separate queue served first, so a full
/// frame queue never delays a command.
/// </summary>
public sealed class FramePolicyMessageQueue : IMessageQueue, IBoundedMessageQueueSemantics
{
    /// <summary>Control messages queued beyond this are dropped and counted (they are rare; a flood is a bug).</summary>
    public const int ControlCapacity = 1024;

    private readonly FramePolicyQueue _frames;
    private readonly ConcurrentQueue<Envelope> _control = new();
    private int _controlCount;
    private long _controlDropped;

    public FramePolicyMessageQueue(FramePolicyQueue frames, TimeSpan pushTimeOut)
    {
        _frames = frames;
        PushTimeOut = pushTimeOut;
    }

    /// <summary>The frame queue (for tests and status).</summary>
    public FramePolicyQueue Frames => _frames;

    /// <summary>Control messages dropped because <see cref="ControlCapacity"/> was reached.</summary>
    public long ControlDropped => Interlocked.Read(ref _controlDropped);

    public TimeSpan PushTimeOut { get; set; }

    public bool HasMessages => _frames.Count > 0 || Volatile.Read(ref _controlCount) > 0;

    public int Count => _frames.Count + Volatile.Read(ref _controlCount);

    public void Enqueue(IActorRef receiver, Envelope envelope)
    {
        if (envelope.Message is Slab slab)
        {
            _frames.Offer(slab);
            return;
        }
        if (Interlocked.Increment(ref _controlCount) > ControlCapacity)
        {
            Interlocked.Decrement(ref _controlCount);
            Interlocked.Increment(ref _controlDropped);
            return;
        }
        _control.Enqueue(envelope);
    }

    public bool TryDequeue(out Envelope envelope)
    {
        if (_control.TryDequeue(out envelope))
        {
            Interlocked.Decrement(ref _controlCount);
            return true;
        }
        if (_frames.TryTake(out Slab slab))
        {
            // Envelope is a struct: re-wrapping the slab allocates nothing.
            envelope = new Envelope(slab, ActorRefs.NoSender);
            return true;
        }
        envelope = default;
        return false;
    }

    public void CleanUp(IActorRef owner, IMessageQueue deadletters)
    {
        // Frames still queued when the sink stops go back to the pool rather than to dead letters:
        // a slab parked in dead letters would be lost to the pool for good.
        _frames.Drain();
        while (_control.TryDequeue(out Envelope envelope))
        {
            Interlocked.Decrement(ref _controlCount);
            deadletters.Enqueue(owner, envelope);
        }
    }
}
