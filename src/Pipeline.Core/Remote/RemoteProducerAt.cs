using Akka.Actor;

namespace Eeg.Pipeline.Remote;

/// <summary>
/// Tells a consumer where its remote sink lives now (the acquisition node joined or came back), or
/// that it is gone (<c>null</c>). The cluster watcher sends it; a test can send it directly.
/// </summary>
public sealed record RemoteProducerAt(ActorPath? SinkPath);
