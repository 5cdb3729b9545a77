using Akka.Actor;
using Eeg.Pipeline.Slabs;
using Eeg.Shared.Frames;

namespace Eeg.Acquisition.FanOut;

/// <summary>
/// A sink that is an actor behind a policy mailbox: the Tell runs the mailbox's policy on the DSP
/// thread (drop, or wait up to the lossless timeout) and the actor is scheduled on its dispatcher.
/// Tell of a preallocated slab allocates nothing (Envelope is a struct; AllocationTests prove it).
/// </summary>
public sealed class ActorFrameSink(string name, IActorRef actor) : IFrameSink
{
    public string Name { get; } = name;
    public IActorRef Actor { get; } = actor;

    public void Offer(Slab slab) => Actor.Tell(slab, ActorRefs.NoSender);

    public void Describe(StreamDescription description) => Actor.Tell(description, ActorRefs.NoSender);
}
