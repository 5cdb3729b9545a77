using Akka.Actor;
using Eeg.Shared.Frames;

namespace Eeg.Shared.Remote;

/// <summary>
/// A consumer node asks the acquisition node's remote sink <paramref name="SinkName"/> for its frames.
/// Sent again after a restart or a partition: the sender then resends what this sink has not had
/// acknowledged (lossless) or starts with the newest frames (lossy).
/// </summary>
/// <param name="SinkName">The remote sink's name on the acquisition node.</param>
/// <param name="Consumer">The actor that receives the batches and acknowledges them.</param>
/// <param name="Window">Batches the consumer lets be in flight (its credit) at most.</param>
public sealed record RemoteSinkSubscribe(string SinkName, IActorRef Consumer, int Window) : IRemoteSinkMessage;

/// <summary>
/// Acknowledgement and credit in one message: every batch up to <paramref name="Acknowledged"/> has been
/// delivered to the consumer's local sinks (a lossless sender may forget them), and the sender may send
/// batches up to <paramref name="SendUpTo"/>. Cumulative, so a lost grant is repaired by the next one.
/// </summary>
public sealed record CreditGrant(long StreamId, long Acknowledged, long SendUpTo) : IRemoteSinkMessage;

/// <summary>The stream a remote sink carries: the first message after a subscription, and on every change.</summary>
/// <param name="StreamId">The sender's stream run; batches of another run are stale.</param>
/// <param name="Description">Channels, rate, filters.</param>
/// <param name="NextSequence">The sequence of the next batch the consumer will get (after a resubscription: the first one it has not acknowledged).</param>
public sealed record RemoteStreamStarted(long StreamId, StreamDescription Description, long NextSequence) : IRemoteSinkMessage;

/// <summary>The sender refuses a subscription (unknown sink name, channel count the consumer cannot hold ...).</summary>
public sealed record RemoteSinkRefused(string SinkName, string Reason) : IRemoteSinkMessage;
