using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit.Xunit2;
using Eeg.Acquisition.Actors;
using Eeg.Acquisition.Dsp;
using Eeg.Acquisition.FanOut;
using Eeg.Acquisition.Hosting;
using Eeg.Acquisition.Pipeline;
using Eeg.Acquisition.Reading;
using Eeg.Pipeline.Configuration;
using Eeg.Pipeline.Dispatch;
using Eeg.Pipeline.Mailboxes;
using Eeg.Pipeline.Sinks;
using Eeg.Pipeline.Slabs;
using Eeg.Shared.Frames;
using Eeg.Shared.Status;
using Eeg.Tests.Acquisition.Node.Ads1299.Emulation;
using Eeg.Tests.Acquisition.Node.Support;

namespace Eeg.Tests.Acquisition.Node.Ads1299;

/// <summary>The ADS1299 source inside the real pipeline: allocation, gaps, triggers, the node end to end.</summary>
[Collection(Ads1299Collection.Name)]
public sealed class Ads1299PipelineTests : TestKit
{
    private const int Frames = 10_000;

    public Ads1299PipelineTests() : base(ConfigurationFactory.ParseString(
        "akka.loglevel = WARNING\n" + PolicyMailboxes.Hocon + "\n" + SinkDispatchers.Hocon("yielding"))) { }

    private sealed class NullSink(SinkCounters counters) : FrameSinkActor(counters)
    {
        protected override void OnFrame(Slab slab) { }
    }

    private static AcquisitionPipeline PipelineOver(Ads1299Rig rig)
    {
        PipelineSettings s = rig.Settings;
        return new AcquisitionPipeline(s, rig.Source, new FrameFanOut(), new DspStage(s.Dsp, s.Channels, s.SampleRate, s.MicrovoltsPerCount));
    }

    private static QueueFrameSink Sink(string name, SinkPolicy policy, int capacity) =>
        new(name, new FramePolicyQueue(policy, capacity, TimeSpan.FromSeconds(5), 4, new SinkCounters(name, policy, capacity)));

    [Theory]
    [InlineData(1, false)]
    [InlineData(1, true)]
    [InlineData(400, false)]
    public void Reading_the_chips_filtering_and_fanning_out_allocate_nothing_per_sample(int frameSamples, bool impedanceCheck)
    {
        // The AllocationTests measurement, exact, with the emulated chips behind the source: DRDY edge,
        // SPI transfer, decode, status word, impedance meter, slab, ring, DSP, fan-out, all on this thread.
        using var rig = Ads1299Rig.Create(chips: 4, start: false,
            hocon: $"pipeline {{ frame-samples = {frameSamples}, ads1299 {{ impedance-check = {(impedanceCheck ? "on" : "off")}, trigger.pin = 17 }} }}");
        using AcquisitionPipeline pipeline = PipelineOver(rig);
        rig.Source.Start();
        var reader = new SampleReader(rig.Source, pipeline.Pool, pipeline.Ring, pipeline.Counters, frameSamples, t => t);
        var handler = new DspFanOutHandler(pipeline.Dsp, pipeline.FanOut, pipeline.Counters);
        QueueFrameSink queueSink = Sink("queue", SinkPolicy.DropOldest, 4);
        pipeline.FanOut.Add(queueSink);
        var sinkSettings = new SinkSettings($"scope{frameSamples}{impedanceCheck}", SinkPolicy.DropOldest, 4, TimeSpan.FromSeconds(1), 4);
        SinkCounters counters = SinkRegistry.For(Sys).Register(sinkSettings);
        pipeline.FanOut.Add(new ActorFrameSink("scope", Sys.ActorOf(
            Props.Create(() => new NullSink(counters)).WithMailbox(PolicyMailboxes.IdFor(SinkPolicy.DropOldest)).WithDispatcher(SinkDispatchers.LowLatency), sinkSettings.Name)));

        long next = 0;
        long sample = 0;
        long emulatorBytes = 0;
        void RunFrames(int frames)
        {
            for (int f = 0; f < frames; f++)
            {
                for (int s = 0; s < frameSamples; s++)
                {
                    // The emulated chips and the DRDY/trigger edges stand in for the hardware and the GPIO
                    // driver's event thread; in the node they do not run on the reader's thread, so their
                    // bytes are not the reader's (measured apart: 818-1416 B per 10,000 samples appeared
                    // there in loaded runs after other ADS1299 tests, from the emulator).
                    long hardware = GC.GetAllocatedBytesForCurrentThread();
                    if (++sample % 1000 == 0) rig.Board.Trigger(17); // a stimulus now and then: triggers ride along
                    rig.Board.Tick();
                    emulatorBytes += GC.GetAllocatedBytesForCurrentThread() - hardware;
                    rig.Source.WaitForSample(out long drdy);
                    reader.ReadOne(drdy);
                }
                long cursor = pipeline.Ring.Cursor;
                for (; next <= cursor; next++) handler.OnEvent(pipeline.Ring[next], next, next == cursor);
                pipeline.Processor.Sequence.SetValue(cursor);
                while (queueSink.Queue.TryTake(out Slab slab)) slab.Release();
            }
        }

        RunFrames(frameSamples == 1 ? 5_000 : 20); // warm-up: JIT tiers, histogram buckets, a whole impedance window
        // An actor created with ActorOf starts asynchronously; until it has, Tells to it are parked in
        // a list that allocates per message. On a loaded machine that can outlast the warm-up.
        AwaitCondition(() => counters.Delivered > 0, TimeSpan.FromSeconds(20));
        // Smallest of three windows (AllocationWindows), the emulator's own bytes left out of each.
        long smallest = AllocationWindows.Smallest(() =>
        {
            emulatorBytes = 0;
            RunFrames(frameSamples == 1 ? Frames : 25);
            return emulatorBytes;
        });

        Assert.Equal(0, smallest);
        Assert.Equal(0, pipeline.Counters.Overruns);
        Assert.Equal(0, rig.Source.MissedSamples);
        if (impedanceCheck) Assert.True(rig.Source.ImpedanceMeasurements >= 2);
        Assert.Empty(rig.Board.Violations);
    }

    [Fact]
    public void A_missed_drdy_shows_as_a_gap_in_the_next_frame()
    {
        using var rig = Ads1299Rig.Create(chips: 1, start: false, hocon: "pipeline.ads1299.trigger.pin = 17");
        using AcquisitionPipeline pipeline = PipelineOver(rig);
        rig.Source.Start();
        var reader = new SampleReader(rig.Source, pipeline.Pool, pipeline.Ring, pipeline.Counters, 1, t => t);
        var frames = new List<(long Index, FrameFlags Flags, long Gap, TriggerEvent[] Triggers)>();
        void Step(bool missOne = false, bool trigger = false)
        {
            if (missOne) rig.Board.Tick(); // overwritten before the reader wakes
            if (trigger) rig.Board.Trigger(17);
            rig.Board.Tick();
            rig.Source.WaitForSample(out long drdy);
            reader.ReadOne(drdy);
            Slab slab = pipeline.Ring[pipeline.Ring.Cursor].Slab!;
            frames.Add((slab.FirstSampleIndex, slab.Flags, slab.GapSamples, slab.Triggers.AsSpan(0, slab.TriggerCount).ToArray()));
        }

        Step();
        Step();
        Step(missOne: true, trigger: true);
        Step();

        Assert.Equal([0L, 1L, 3L, 4L], frames.Select(f => f.Index));
        Assert.Equal(1, frames[2].Gap);
        Assert.True(frames[2].Flags.HasFlag(FrameFlags.Gap));
        Assert.False(frames[3].Flags.HasFlag(FrameFlags.Gap));
        Assert.Equal(1, pipeline.Counters.SourceGapSamples);
        Assert.Equal(1, rig.Source.MissedSamples);
        // The trigger came before both DRDYs of step 3: its conversion was the lost sample 2, so it rides on sample 3 (the next one read).
        Assert.Equal([new TriggerEvent(3, 1, TriggerSource.HostPin)], frames[2].Triggers);
    }

    [Fact]
    public void The_node_pipeline_over_the_emulated_chips_delivers_contiguous_frames()
    {
        // PipelineFactory.Create as the node calls it (bring-up, test run, source), DRDY from the
        // board's own thread, the reader and DSP threads running; the board waits for each frame to
        // be read before the next DRDY so that a noisy test machine cannot lose samples.
        PipelineSettings settings = Ads1299Rig.SettingsFor(4, Ads1299Wiring.Daisy, "pipeline { frame-samples = 10, wait-strategy = blocking }", rate: 1000);
        using var board = new EmulatedBoard(4, Ads1299Wiring.Daisy, DrdyPacing.Lockstep);
        using AcquisitionPipeline pipeline = PipelineFactory.Create(settings, board);
        QueueFrameSink recorder = Sink("recorder", SinkPolicy.Lossless, 64);
        pipeline.FanOut.Add(recorder);
        using var check = new IndexCheckingConsumer(recorder.Queue, checkPattern: false);

        pipeline.Start();
        // Lockstep costs a thread hand-over per sample; at load 15+ that has taken 20 ms each, so
        // the wait goes by progress, not by a fixed time.
        bool enough = Progress.WaitFor(() => check.Samples, 1_000, stall: TimeSpan.FromSeconds(20));
        pipeline.Stop(TimeSpan.FromSeconds(5));
        check.Dispose();

        Assert.True(enough, $"only {check.Samples} samples, and none for 20 s");
        Assert.Null(check.FirstError);
        Assert.Equal(0, check.GapSamplesSeen);
        Assert.Equal(0, pipeline.Counters.Overruns);
        Assert.Equal(0, pipeline.Counters.CorruptSamples);
        Assert.Equal(pipeline.Counters.Samples, check.Samples);
        Assert.Equal("ads1299", pipeline.Description.Source);
        Assert.Equal(32, pipeline.Description.ChannelCount);
        Assert.Empty(board.Violations);
        Assert.False(board.Chips[0].Converting); // stopped with the pipeline
    }

    [Fact]
    public void The_acquisition_actor_switches_the_impedance_check_and_reports_impedances_in_the_status()
    {
        PipelineSettings settings = Ads1299Rig.SettingsFor(1, Ads1299Wiring.Daisy, "pipeline.wait-strategy = blocking", rate: 4000);
        using var board = new EmulatedBoard(1, Ads1299Wiring.Daisy, DrdyPacing.Lockstep);
        double[] ohms = [2_000, 4_000, 8_000, 16_000, 32_000, 64_000, 128_000, 256_000];
        ohms.CopyTo(board.Chips[0].ElectrodeOhms, 0);
        AcquisitionPipeline pipeline = PipelineFactory.Create(settings, board);
        IActorRef acquisition = Sys.ActorOf(AcquisitionActor.Props(pipeline, [], TimeSpan.Zero, null), "acquisition-impedance");

        acquisition.Tell(GetStatus.Instance);
        Assert.Null(ExpectMsg<PipelineStatus>().ImpedanceKOhm);

        acquisition.Tell(new SetImpedanceCheck(true));
        Assert.Equal(new ImpedanceCheckState(true, null), ExpectMsg<ImpedanceCheckState>());
        IReadOnlyList<double>? kOhm = null;
        // A measurement needs a whole window of lockstep samples, one thread hand-over each: on a
        // loaded machine that took over a minute, so wait while samples keep coming.
        bool measured = Progress.WaitFor(() => board.DrdyCount, () =>
        {
            acquisition.Tell(GetStatus.Instance);
            kOhm = ExpectMsg<PipelineStatus>().ImpedanceKOhm;
            return kOhm is not null;
        }, stall: TimeSpan.FromSeconds(20));
        Assert.True(measured, $"no impedance after {board.DrdyCount} samples");
        for (int c = 0; c < 8; c++) Assert.InRange(kOhm![c], ohms[c] / 1000 * 0.95, ohms[c] / 1000 * 1.05);

        acquisition.Tell(new SetImpedanceCheck(false));
        ExpectMsg<ImpedanceCheckState>();
        acquisition.Tell(GetStatus.Instance);
        Assert.Null(ExpectMsg<PipelineStatus>().ImpedanceKOhm);
        Sys.Stop(acquisition);
        AwaitCondition(() => !board.Chips[0].Converting, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void Asking_the_simulated_source_for_an_impedance_check_gets_a_clear_no()
    {
        using AcquisitionPipeline pipeline = PipelineFactory.Create(TestSettings.Pattern(channels: 8, rate: 250));
        IActorRef acquisition = Sys.ActorOf(AcquisitionActor.Props(pipeline, [], TimeSpan.Zero, null), "acquisition-simulated");

        acquisition.Tell(new SetImpedanceCheck(true));

        Assert.Equal(new ImpedanceCheckState(false, "the simulated source has no impedance check (pipeline.source = ads1299 has)"), ExpectMsg<ImpedanceCheckState>());
        Sys.Stop(acquisition);
    }
}
