using Akka.Actor;
using Akka.Event;
using Eeg.Acquisition.FanOut;
using Eeg.Acquisition.Pipeline;
using Eeg.Acquisition.Sources;
using Eeg.Pipeline.Mailboxes;
using Eeg.Pipeline.Configuration;
using Eeg.Pipeline.Sinks;
using Eeg.Shared.Control;
using Eeg.Shared.Status;

namespace Eeg.Acquisition.Actors;

/// <summary>
/// Owns and supervises the acquisition node's pipeline: starts it, creates the local sink actors
/// behind their policy mailboxes and supervises them (a sink that throws is restarted; its restarts
/// are counted), answers status requests, applies filter changes, prints the periodic status line.
/// The data itself does not pass through this actor's mailbox (see DspFanOutHandler for why).
/// </summary>
public sealed class AcquisitionActor : ReceiveActor
{
    private readonly AcquisitionPipeline _pipeline;
    private readonly IReadOnlyList<SinkRegistration> _sinks;
    private readonly TimeSpan _statusInterval;
    private readonly TextWriter? _statusOut;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private ICancelable? _statusTimer;
    private Metrics.PipelineMeter? _meter;
    private StatusLine? _statusLine;
    private DspSettings _filters; // the last settings requested (the DSP thread may not have adopted them yet)

    public AcquisitionActor(AcquisitionPipeline pipeline, IReadOnlyList<SinkRegistration> sinks, TimeSpan statusInterval, TextWriter? statusOut)
    {
        _pipeline = pipeline;
        _sinks = sinks;
        _statusInterval = statusInterval;
        _statusOut = statusOut;
        _filters = pipeline.Dsp.Current.Settings;

        Receive<GetStatus>(_ => Sender.Tell(Snapshot()));
        Receive<GetStreamDescription>(_ => Sender.Tell(_pipeline.Description));
        Receive<GetSinkActor>(m => Sender.Tell(
            _pipeline.FanOut.Sinks.OfType<ActorFrameSink>().FirstOrDefault(s => s.Name == m.Name)?.Actor ?? ActorRefs.Nobody));
        Receive<UpdateFilters>(m =>
        {
            _pipeline.UpdateFilters(m.Settings);
            _filters = m.Settings;
            _log.Info("Filters now: {0}", _pipeline.Description.Filters);
            Sender.Tell(_pipeline.Description);
        });
        Receive<SetImpedanceCheck>(m =>
        {
            if (_pipeline.Source is IImpedanceSource impedance)
            {
                impedance.SetImpedanceCheck(m.On);
                _log.Info("Impedance check {0}", m.On ? "on" : "off");
                Sender.Tell(new ImpedanceCheckState(m.On, null));
            }
            else
            {
                Sender.Tell(new ImpedanceCheckState(false, $"the {_pipeline.Source.Name} source has no impedance check (pipeline.source = ads1299 has)"));
            }
        });
        Receive<GetPipelineReport>(_ => Sender.Tell(Report()));
        Receive<ChangeFilters>(ChangeFilters);
        Receive<SwitchImpedanceCheck>(m =>
        {
            if (_pipeline.Source is IImpedanceSource impedance)
            {
                impedance.SetImpedanceCheck(m.On);
                _log.Info("Impedance check {0} (operator)", m.On ? "on" : "off");
                Sender.Tell(new ImpedanceCheckSwitched(m.On));
            }
            else
            {
                Sender.Tell(new ControlRefused(RefusalKind.Conflict, $"the {_pipeline.Source.Name} source has no impedance check (pipeline.source = ads1299 has)"));
            }
        });
        Receive<PrintStatus>(_ => _statusOut?.WriteLine(_statusLine!.Next(Snapshot())));
    }

    public static Props Props(AcquisitionPipeline pipeline, IReadOnlyList<SinkRegistration> sinks, TimeSpan statusInterval, TextWriter? statusOut) =>
        Akka.Actor.Props.Create(() => new AcquisitionActor(pipeline, sinks, statusInterval, statusOut));

    protected override void PreStart()
    {
        SinkRegistry registry = SinkRegistry.For(Context.System);
        foreach (SinkRegistration sink in _sinks)
        {
            SinkCounters counters = registry.Register(sink.Settings);
            IActorRef actor = Context.ActorOf(
                sink.CreateProps(counters).WithMailbox(PolicyMailboxes.IdFor(sink.Settings.Policy)),
                sink.Settings.Name);
            _pipeline.FanOut.Add(new ActorFrameSink(sink.Settings.Name, actor));
        }
        _meter = new Metrics.PipelineMeter(_pipeline.Counters, registry);
        _pipeline.Start();
        _statusLine = new StatusLine(_pipeline.Description.SampleRate);
        if (_statusOut is not null && _statusInterval > TimeSpan.Zero)
        {
            _statusTimer = Context.System.Scheduler.ScheduleTellRepeatedlyCancelable(
                _statusInterval, _statusInterval, Self, PrintStatus.Instance, Self);
        }
    }

    protected override void PostStop()
    {
        _statusTimer?.Cancel();
        _pipeline.Stop(TimeSpan.FromSeconds(5));
        _meter?.Dispose();
    }

    // A sink that throws is restarted on its own; the pipeline and the other sinks go on.
    // Restarts are counted by the sink itself (FrameSinkActor.PreRestart).
    protected override SupervisorStrategy SupervisorStrategy() => new SinkSupervisorStrategy();

    private void ChangeFilters(ChangeFilters change)
    {
        if (!_filters.Enabled)
        {
            Sender.Tell(new ControlRefused(RefusalKind.Conflict, "pipeline.dsp.enabled = off on this node: its filters cannot change at run time"));
            return;
        }
        try
        {
            DspSettings next = FilterChange.Apply(_filters, change);
            _pipeline.UpdateFilters(next); // designs the chain here; the DSP thread adopts it at its next frame
            _filters = next;
            _log.Info("Filters now (operator): {0}", _pipeline.Description.Filters);
            Sender.Tell(FilterChange.Report(next, _pipeline.Description.Filters));
        }
        catch (ConfigException e)
        {
            Sender.Tell(new ControlRefused(RefusalKind.BadRequest, e.Message));
        }
    }

    private PipelineReport Report()
    {
        PipelineStatus s = Snapshot();
        return new PipelineReport
        {
            Source = s.Source, Channels = s.Channels, SampleRate = s.SampleRate, Samples = s.Samples, Frames = s.Frames,
            Overruns = s.Overruns, CorruptFrames = s.CorruptFrames, LatencyMicros = s.Latency,
            ImpedanceCheck = (_pipeline.Source as IImpedanceSource)?.ImpedanceCheck ?? false,
            Filters = FilterChange.Report(_filters, _pipeline.Description.Filters),
        };
    }

    private PipelineStatus Snapshot()
    {
        AcquisitionCounters c = _pipeline.Counters;
        var sinks = SinkRegistry.For(Context.System).All
            .Select(s => s.Snapshot())
            .ToDictionary(s => s.Name, StringComparer.Ordinal);
        return new PipelineStatus(
            _pipeline.Source.Name,
            _pipeline.Description.ChannelCount,
            _pipeline.Description.SampleRate,
            c.Samples,
            c.Frames,
            c.Overruns,
            c.CorruptSamples,
            _pipeline.UptimeSeconds,
            c.FanOutLatency.Snapshot(),
            sinks)
        {
            ImpedanceKOhm = (_pipeline.Source as IImpedanceSource)?.ImpedanceKOhm(),
            ClusterMembers = Eeg.Pipeline.Cluster.ClusterStatus.Members(Context.System),
            RemoteSinks = Eeg.Pipeline.Cluster.ClusterStatus.RemoteSinks(Context.System),
        };
    }
}
