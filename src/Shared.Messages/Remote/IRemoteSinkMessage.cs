namespace Eeg.Shared.Remote;

/// <summary>
/// Marker of every message of the remote sink protocol. HOCON binds it to
/// <see cref="RemoteSinkSerializer"/> (akka.actor.serialization-bindings in hocon/reference.conf),
/// so no message of the data path ever reaches a JSON or reflection-based serializer.
/// </summary>
public interface IRemoteSinkMessage;
