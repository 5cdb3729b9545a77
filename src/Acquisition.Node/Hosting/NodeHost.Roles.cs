using Akka.Actor;
using Akka.Configuration;
using Eeg.Acquisition.Actors;
using Eeg.Pipeline.Configuration;
using Eeg.Processing.Recording;

namespace Eeg.Acquisition.Hosting;

// The roles this process runs besides acquisition, and how their sinks join the fan-out.
public sealed partial class NodeHost
{
    /// <summary>Settings of the roles hosted next to acquisition.</summary>
    private sealed record RoleSettings;

    private static RoleSettings ReadRoleSettings(Config config) => new();

    private static void AddRoleSinks(List<SinkRegistration> sinks, PipelineSettings settings, RecorderSettings recorder, RoleSettings roles, ActorSystem system)
    {
        if (recorder.Enabled && settings.Sinks.FirstOrDefault(s => s.Name == "recorder") is { } recorderSink)
        {
            sinks.Add(new SinkRegistration(recorderSink, counters => RecorderActor.Props(recorder, counters)));
        }
    }

    /// <summary>Where to look: the web UI, the recordings.</summary>
    public IEnumerable<string> Banner()
    {
        if (Recorder is not null) yield return "recorder ready (start a recording from the web UI or POST /recordings/start)";
    }

    private Task StartRolesAsync(RoleSettings roles, CancellationToken cancellationToken) => Task.CompletedTask;

    private Task StopRolesAsync() => Task.CompletedTask;
}
