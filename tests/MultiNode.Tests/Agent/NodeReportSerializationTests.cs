using System.Text.Json;
using Akka.Actor;
using Eeg.Shared.Control;
using Eeg.Shared.Recording;
using Eeg.Shared.Status;

namespace Eeg.Tests.MultiNode.Agent;

/// <summary>The control path's messages survive Akka's default (JSON) serializer, which carries them between nodes.</summary>
public sealed class NodeReportSerializationTests : IDisposable
{
    private readonly ActorSystem _system = ActorSystem.Create("serialization", "akka.loglevel = WARNING");

    public void Dispose() => _system.Dispose();

    private T RoundTrip<T>(T message) where T : notnull
    {
        var serializer = _system.Serialization.FindSerializerFor(message);
        return (T)_system.Serialization.Deserialize(serializer.ToBinary(message), serializer.Identifier, typeof(T));
    }

    private static string Json(object value) => JsonSerializer.Serialize(value, value.GetType());

    [Fact]
    public void A_full_node_report_with_pipeline_sinks_remote_sinks_and_recordings_comes_back_equal()
    {
        var report = new NodeReport
        {
            Address = "akka.tcp://eeg@127.0.0.1:4053",
            Roles = new[] { "acquisition", "processing" },
            UptimeSeconds = 12.5,
            ClockOffsetMicros = -3.25,
            ClockRoundTripMicros = 310,
            MemoryBytes = 123456789,
            GcHeapBytes = 2345678,
            Gc = new GcCounts(3, 1, 0),
            Pipeline = new PipelineReport
            {
                Source = "simulated eeg", Channels = 32, SampleRate = 4000, Samples = 400000, Frames = 400000, Overruns = 2,
                LatencyMicros = new LatencySnapshot(12, 40, 90, 300, 400000), ImpedanceCheck = true,
                Filters = new FilterReport(0.5, 100, 0) { Description = "HP 0.5 Hz (Butterworth 2), LP 100 Hz (Butterworth 4)" },
            },
            Sinks = new[]
            {
                new SinkReport { Name = "recorder", Kind = SinkKinds.Recorder, Policy = "lossless", Capacity = 64, Delivered = 10, Running = true, LatencyMicros = new LatencySnapshot(1, 2, 3, 4, 10) },
                new SinkReport { Name = "alpha", Kind = SinkKinds.Stage, Policy = "drop-oldest", Restarts = 2, Failed = true, FailureReason = "boom", Running = false },
            },
            RemoteSinks = new[] { new RemoteSinkStatus { Name = "remote-recorder", Lossless = true, Consumer = "akka.tcp://eeg@127.0.0.1:4054/user/x", Credit = 8, InFlight = 1 } },
            HasRecorder = true,
            Recordings = new[] { new RecordingInfo("s01_1", new[] { "/tmp/a.bdf" }, new[] { "bdf" }, new DateTime(2026, 11, 27, 12, 0, 0, DateTimeKind.Utc), 1.5, 4096, RecordingState.Recording, null, 0, 6000, 0, 0) },
        };

        NodeReport back = RoundTrip(report);

        Assert.Equal(Json(report), Json(back));
    }

    [Fact]
    public void Control_commands_and_answers_come_back_equal()
    {
        object[] messages =
        [
            new StageCommand("alpha", StageAction.Stop),
            new StageCommandResult("alpha", "akka.tcp://eeg@127.0.0.1:4054", 3, false),
            new ChangeFilters(1.0, null, 0),
            new FilterReport(1.0, 40, 0) { Description = "HP 1 Hz" },
            new SwitchImpedanceCheck(true),
            new ImpedanceCheckSwitched(true),
            new ControlRefused(RefusalKind.Conflict, "no impedance check"),
            new LeavingCluster("akka.tcp://eeg@127.0.0.1:4054", "Leaving"),
            new ClockProbe(638_000_000_000_000_000),
            new ClockProbeReply(1, 2, 3),
        ];
        foreach (object message in messages)
        {
            Assert.Equal(Json(message), Json(RoundTrip(message)));
        }
        Assert.Same(GetNodeReport.Instance.GetType(), RoundTrip(GetNodeReport.Instance).GetType());
        Assert.Same(LeaveCluster.Instance.GetType(), RoundTrip(LeaveCluster.Instance).GetType());
    }
}
