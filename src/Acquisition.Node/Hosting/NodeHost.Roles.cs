using Akka.Actor;
using Akka.Configuration;
using Eeg.Acquisition.Actors;
using Eeg.Pipeline.Configuration;
using Eeg.Acquisition.Pipeline;
using Eeg.Processing.Recording;
using Eeg.Processing.Stages;

namespace Eeg.Acquisition.Hosting;

// The roles this process runs besides acquisition, and how their sinks join the fan-out.
public sealed partial class NodeHost
{
    /// <summary>Settings of the roles hosted next to acquisition.</summary>
    private sealed record RoleSettings;

    private static RoleSettings ReadRoleSettings(Config config) => new();

    private static void AddRoleSinks(List<SinkRegistration> sinks, AcquisitionPipeline pipeline, RecorderSettings recorder, RoleSettings roles, ActorSystem system)
    {
        PipelineSettings settings = pipeline.Settings;
        if (recorder.Enabled && settings.Sinks.FirstOrDefault(s => s.Name == "recorder") is { } recorderSink)
        {
            sinks.Add(new SinkRegistration(recorderSink, counters => RecorderActor.Props(recorder, counters)));
        }

        // Stages: every type is found and every settings block bound now, so a mistake stops start-up
        // with a line naming the stage. Each host keeps its own restart budget (max-restarts in
        // restart-window); the acquisition actor above it only restarts what the host lets fail.
        _ = typeof(Eeg.Plugins.Examples.BandPowerStage).Assembly; // loaded, so the examples resolve by name
        var factory = new StageFactory(settings.StageDirectory);
        foreach (StageBlueprint stage in factory.ResolveAll(settings.Stages))
        {
            sinks.Add(new SinkRegistration(stage.Entry.ToSinkSettings(),
                counters => StageHostActor.Props(stage, counters, pipeline.Description)));
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
