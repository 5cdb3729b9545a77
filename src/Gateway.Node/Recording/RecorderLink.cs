using Akka.Actor;

namespace Eeg.Gateway.Recording;

/// <summary>
/// The recorder the gateway's recording endpoints talk to. Attached after start-up (the recorder is
/// a sink of the acquisition actor, created after the gateway); until then, and on a node without a
/// recorder, the endpoints answer 503 with the reason.
/// </summary>
public sealed class RecorderLink
{
    private volatile IActorRef? _recorder;

    public IActorRef? Recorder => _recorder;

    public void Attach(IActorRef recorder) => _recorder = recorder;
}
