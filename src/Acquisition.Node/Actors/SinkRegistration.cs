using Akka.Actor;
using Eeg.Pipeline.Configuration;
using Eeg.Pipeline.Sinks;

namespace Eeg.Acquisition.Actors;

/// <summary>
/// A local sink a role contributes to the acquisition node's fan-out: its settings (policy, depth)
/// and how to make its actor. The acquisition actor creates the actor as its child behind the policy
/// mailbox, so the role never deals with queues.
/// </summary>
public sealed record SinkRegistration(SinkSettings Settings, Func<SinkCounters, Props> CreateProps);
