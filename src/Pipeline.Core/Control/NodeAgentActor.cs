using System.Diagnostics;
using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using Eeg.Pipeline.Cluster;
using Eeg.Pipeline.Sinks;
using Eeg.Shared.Control;
using Eeg.Shared.Recording;

namespace Eeg.Pipeline.Control;

/// <summary>
/// The agent every node runs at <c>/user/node-agent</c>: reports its node (<see cref="GetNodeReport"/>)
/// and routes the operator's control messages to the local actor that owns the thing (stage hosts,
/// the acquisition actor, the recorder), so the gateway can steer a node it only knows by address.
/// On a node without the acquisition role it also measures the clock offset to the acquisition node
/// (<see cref="ClockOffsetEstimator"/>). Off the data path: it reads counters, never touches a frame.
/// </summary>
public sealed class NodeAgentActor : ReceiveActor, IWithTimers
{
    private const string Recorder = "recorder";
    private readonly NodeAgentOptions _options;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly ClockOffsetEstimator _clock;
    private readonly bool _clustered;
    private readonly bool _isReference;
    private readonly string _address;
    private readonly DateTime _startedUtc;
    private Address? _acquisition;

    public NodeAgentActor(NodeAgentOptions options)
    {
        _options = options;
        _clock = new ClockOffsetEstimator(options.ProbeWindow, options.ProbeMaxAge);
        _clustered = NodeAgent.IsClustered(Context.System);
        _isReference = options.Roles.Contains(ClusterNodeSettings.Acquisition);
        _address = _clustered ? Akka.Cluster.Cluster.Get(Context.System).SelfAddress.ToString() : NodeAgent.LocalAddress;
        using (var process = Process.GetCurrentProcess()) _startedUtc = process.StartTime.ToUniversalTime();

        Receive<GetNodeReport>(_ => Report().PipeTo(Sender));
        Receive<ClockProbe>(p =>
        {
            long t1 = _options.Clock();
            Sender.Tell(new ClockProbeReply(p.T0, t1, _options.Clock()));
            if (p.OffsetMicros is { } offset) ClockOffsets.For(Context.System).Report(Sender.Path.Address.ToString(), offset);
        });
        Receive<ClockProbeReply>(r => _clock.Add(r.T0, r.T1, r.T2, _options.Clock()));
        Receive<ProbeTick>(_ => Probe());
        Receive<ClusterEvent.MemberUp>(up => Found(up.Member));
        Receive<ClusterEvent.MemberRemoved>(removed =>
        {
            if (removed.Member.Address.Equals(_acquisition)) Lost();
        });
        Receive<ClusterEvent.IMemberEvent>(_ => { });

        Receive<StageCommand>(Stage);
        Receive<GetPipelineReport>(m => ToAcquisition(m));
        Receive<ChangeFilters>(m => ToAcquisition(m));
        Receive<SwitchImpedanceCheck>(m => ToAcquisition(m));
        Receive<StartRecording>(m => ToRecorder(m));
        Receive<StopRecording>(m => ToRecorder(m));
        Receive<AddMarker>(m => ToRecorder(m));
        Receive<GetRecordings>(m => ToRecorder(m));
        Receive<LeaveCluster>(_ => Leave());
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(NodeAgentOptions options) => Akka.Actor.Props.Create(() => new NodeAgentActor(options));

    protected override void PreStart()
    {
        if (!_clustered || _isReference) return;
        Akka.Cluster.Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.IMemberEvent));
        Timers.StartPeriodicTimer("probe", ProbeTick.Instance, _options.ProbeInterval);
    }

    protected override void PostStop()
    {
        if (_clustered && !_isReference) Akka.Cluster.Cluster.Get(Context.System).Unsubscribe(Self);
    }

    private void Found(Member member)
    {
        if (!member.HasRole(ClusterNodeSettings.Acquisition)) return;
        _acquisition = member.Address;
        _clock.Reset(); // a new incarnation (or another node) may run another clock
        for (int i = 0; i < _options.BurstProbes; i++)
        {
            Timers.StartSingleTimer("burst-" + i, ProbeTick.Instance, TimeSpan.FromTicks(_options.BurstSpacing.Ticks * i));
        }
    }

    private void Lost()
    {
        _acquisition = null;
        _clock.Reset();
    }

    private void Probe()
    {
        if (_acquisition is null) return;
        ClockSample? best = _clock.Best;
        NodeAgent.At(Context.System, _acquisition).Tell(new ClockProbe(_options.Clock(), best?.OffsetMicros, best?.RoundTripMicros), Self);
    }

    private (double? Offset, double? RoundTrip) ClockOffset()
    {
        if (_isReference) return (0, 0);
        return _clock.Best is { } best ? (best.OffsetMicros, best.RoundTripMicros) : (null, null);
    }

    /// <summary>The report: counters read here, on the actor's thread; the pipeline and recordings asked of their owners.</summary>
    private async Task<NodeReport> Report()
    {
        (double? offset, double? roundTrip) = ClockOffset();
        SinkRegistry registry = SinkRegistry.For(Context.System);
        SinkRunState run = SinkRunState.For(Context.System);
        var sinks = new List<SinkReport>();
        foreach (SinkCounters counters in registry.All.OrderBy(c => c.Name, StringComparer.Ordinal))
        {
            var s = counters.Snapshot();
            bool stopped = run.IsStopped(s.Name);
            sinks.Add(new SinkReport
            {
                Name = s.Name, Kind = KindOf(s.Name), Policy = s.Policy, Capacity = s.Capacity, Depth = s.Depth,
                Enqueued = s.Enqueued, Delivered = s.Delivered, Dropped = s.Dropped, BlockedSeconds = s.BlockedSeconds,
                Restarts = s.Restarts, Failed = s.Failed, FailureReason = s.FailureReason, Running = !s.Failed && !stopped,
                LatencyMicros = s.Latency,
            });
        }
        foreach (string remote in _options.RemoteConsumers)
        {
            var c = ConsumerRoleActor.CountersOf(Context.System, remote);
            sinks.Add(new SinkReport
            {
                Name = "consumer-" + remote, Kind = SinkKinds.RemoteConsumer,
                Policy = remote == ClusterNodeSettings.RecorderSink ? "lossless" : "drop-oldest",
                Enqueued = c.Frames, Delivered = c.Frames, Dropped = c.PoolDry, Running = c.Producer is not null,
                FailureReason = c.Producer is null ? "not subscribed to the acquisition node" : null,
            });
        }
        bool hasRecorder = registry.TryGet(Recorder, out _, out _) && _options.SinkParent is not null;

        Task<Shared.Control.PipelineReport?> pipeline = _options.Acquisition is { } acquisition
            ? AskOrNull<Shared.Control.PipelineReport>(acquisition, GetPipelineReport.Instance)
            : Task.FromResult<Shared.Control.PipelineReport?>(null);
        Task<RecordingList?> recordings = hasRecorder
            ? AskOrNull<RecordingList>(Context.ActorSelection(_options.SinkParent!.Path / Recorder), GetRecordings.Instance)
            : Task.FromResult<RecordingList?>(null);
        var gc = new GcCounts(GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        var report = new NodeReport
        {
            Address = _address,
            // Plain arrays: the report crosses nodes with Akka's JSON serializer, which names the
            // runtime type of every list and cannot create a collection expression's synthesized one.
            Roles = _options.Roles.ToArray(),
            UptimeSeconds = (DateTime.UtcNow - _startedUtc).TotalSeconds,
            ClockOffsetMicros = offset,
            ClockRoundTripMicros = roundTrip,
            MemoryBytes = Environment.WorkingSet,
            GcHeapBytes = GC.GetTotalMemory(false),
            Gc = gc,
            Sinks = sinks.ToArray(),
            RemoteSinks = ClusterStatus.RemoteSinks(Context.System),
            HasRecorder = hasRecorder,
        };
        // Await after every read of Context: the continuation runs off the actor's thread.
        return report with
        {
            Pipeline = await pipeline.ConfigureAwait(false),
            Recordings = (await recordings.ConfigureAwait(false))?.Recordings ?? [],
        };
    }

    private async Task<T?> AskOrNull<T>(ICanTell target, object message) where T : class
    {
        try
        {
            return target switch
            {
                IActorRef actor => await actor.Ask<T>(message, _options.LocalAskTimeout).ConfigureAwait(false),
                ActorSelection selection => await selection.Ask<T>(message, _options.LocalAskTimeout).ConfigureAwait(false),
                _ => null,
            };
        }
        catch (Exception e) when (e is AskTimeoutException or TaskCanceledException or InvalidCastException)
        {
            return null;
        }
    }

    private string KindOf(string name) => name switch
    {
        Recorder => SinkKinds.Recorder,
        "scope" => SinkKinds.Scope,
        _ when _options.Stages.Contains(name) => SinkKinds.Stage,
        _ => SinkKinds.Sink,
    };

    private void Stage(StageCommand command)
    {
        if (!_options.Stages.Contains(command.Stage) || _options.SinkParent is null)
        {
            Sender.Tell(new ControlRefused(RefusalKind.NotFound, $"no stage '{command.Stage}' runs on {_address}"));
            return;
        }
        string address = _address;
        Context.ActorSelection(_options.SinkParent.Path / command.Stage)
            .Ask<object>(command, TimeSpan.FromSeconds(5))
            .ContinueWith<object>(t => t.IsCompletedSuccessfully
                ? t.Result is StageCommandResult r ? r with { Node = address } : t.Result
                : new ControlRefused(RefusalKind.Unavailable, $"stage '{command.Stage}' on {address} did not answer within 5 s"),
                TaskScheduler.Default)
            .PipeTo(Sender);
    }

    private void ToAcquisition(object message)
    {
        if (_options.Acquisition is null)
        {
            Sender.Tell(new ControlRefused(RefusalKind.NotFound, $"{_address} runs no acquisition"));
            return;
        }
        _options.Acquisition.Forward(message);
    }

    private void ToRecorder(object message)
    {
        if (_options.SinkParent is null || !SinkRegistry.For(Context.System).TryGet(Recorder, out _, out _))
        {
            Sender.Tell(new ControlRefused(RefusalKind.Unavailable, $"{_address} runs no recorder (recorder.enabled = off, or it is still starting)"));
            return;
        }
        Context.ActorSelection(_options.SinkParent.Path / Recorder).Tell(message, Sender);
    }

    private void Leave()
    {
        if (!_clustered)
        {
            Sender.Tell(new ControlRefused(RefusalKind.Conflict, "this node runs every role in one process without a cluster: there is no cluster to leave"));
            return;
        }
        _log.Info("Leaving the cluster as the operator asked");
        Akka.Cluster.Cluster cluster = Akka.Cluster.Cluster.Get(Context.System);
        cluster.Leave(cluster.SelfAddress);
        Sender.Tell(new LeavingCluster(_address, "Leaving"));
    }

    private sealed class ProbeTick
    {
        public static readonly ProbeTick Instance = new();
    }
}
