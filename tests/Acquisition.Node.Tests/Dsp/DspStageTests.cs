using Eeg.Acquisition.Dsp;
using Eeg.Pipeline.Configuration;
using Eeg.Pipeline.Slabs;

namespace Eeg.Tests.Acquisition.Node.Dsp;

public class DspStageTests
{
    private const double MicrovoltsPerCount = 0.022351741790771484; // Vref 4.5 V, gain 24
    private static readonly DspSettings Notch50 = DspSettings.Default;
    private static readonly DspSettings Notch60 = DspSettings.Default with { NotchHz = 60 };

    // A 100 mV electrode offset (4.47M counts) plus alpha and mains, different per channel.
    private static void FillFrame(Slab slab, long frame, int samples)
    {
        int channels = slab.Channels;
        slab.SampleCount = samples;
        slab.FirstSampleIndex = frame * samples;
        for (int s = 0; s < samples; s++)
        {
            double t = (frame * samples + s) / 4000.0;
            for (int c = 0; c < channels; c++)
                slab.Counts[s * channels + c] = 4_473_924 - 1000 * c
                    + (int)(1800 * Math.Sin(2 * Math.PI * (10 + c) * t) + 900 * Math.Sin(2 * Math.PI * 50 * t));
        }
    }

    [Fact]
    public void Frames_before_a_change_use_the_old_chain_and_from_the_change_on_the_new_one_with_none_skipped()
    {
        const int channels = 8, samples = 4, frames = 100, switchAt = 50;
        var stage = new DspStage(Notch50, channels, 4000, MicrovoltsPerCount);
        var oldChain = new DspChain(Notch50, channels, 4000, MicrovoltsPerCount);
        var newChain = new DspChain(Notch60, channels, 4000, MicrovoltsPerCount);
        var slab = new Slab(channels, samples);
        var expected = new Slab(channels, samples);

        for (int f = 0; f < frames; f++)
        {
            if (f == switchAt) stage.RequestUpdate(Notch60);
            FillFrame(slab, f, samples);
            FillFrame(expected, f, samples);

            bool switched = stage.Process(slab);

            if (f < switchAt)
            {
                oldChain.Process(expected);
            }
            else
            {
                newChain.ConvertCounts(expected);
                if (f == switchAt) newChain.PrimeSteadyState(expected.MicrovoltSpan);
                newChain.ProcessMicrovolts(expected.MicrovoltSpan, samples);
            }
            Assert.Equal(f == switchAt, switched);
            Assert.Equal(expected.Microvolts, slab.Microvolts);
        }
        Assert.Equal(1, stage.UpdatesApplied);
        Assert.Equal("HP 0.5 Hz (Butterworth 2), notch 60 Hz (Q 30), LP 100 Hz (Butterworth 4)", stage.Current.Describe());
    }

    [Fact]
    public void A_filter_change_does_not_replay_the_start_up_step_of_the_high_pass()
    {
        const int channels = 4, samples = 40;
        var stage = new DspStage(Notch50, channels, 4000, MicrovoltsPerCount);
        var slab = new Slab(channels, samples);
        long frame = 0;
        for (; frame < 1000; frame++) { FillFrame(slab, frame, samples); stage.Process(slab); } // 10 s: settled

        stage.RequestUpdate(Notch60);
        double afterChange = 0;
        for (long end = frame + 100; frame < end; frame++) // the next second
        {
            FillFrame(slab, frame, samples);
            stage.Process(slab);
            foreach (float v in slab.MicrovoltSpan) afterChange = Math.Max(afterChange, Math.Abs(v));
        }

        // From zero state the same chain starts at the full 100 mV offset.
        var cold = new DspChain(Notch60, channels, 4000, MicrovoltsPerCount);
        FillFrame(slab, frame, samples);
        cold.Process(slab);
        double coldStart = slab.MicrovoltSpan.ToArray().Max(Math.Abs);

        Assert.True(afterChange < 200, $"after the change the output reached {afterChange} uV");
        Assert.True(coldStart > 50_000, $"a cold chain starts at {coldStart} uV");
    }

    [Fact]
    public void Changes_from_another_thread_lose_no_frame_and_allocate_nothing_on_the_dsp_thread()
    {
        const int channels = 32, samples = 4, frames = 10_000;
        var stage = new DspStage(Notch50, channels, 4000, MicrovoltsPerCount);
        var slab = new Slab(channels, samples);
        // Filled before the measured loop so that recording what happened allocates nothing.
        var outputs = new float[frames * samples * channels];
        var chainOfFrame = new DspChain[frames];
        var switchedAt = new bool[frames];
        FillFrame(slab, 0, samples);
        new DspChain(Notch50, channels, 4000, MicrovoltsPerCount).Process(slab); // JIT warm-up outside the window
        stage.RequestUpdate(Notch60); // pending before the loop: the first frame adopts at least this one

        using var done = new CancellationTokenSource();
        var updater = new Thread(() =>
        {
            for (int i = 0; !done.IsCancellationRequested; i++)
            {
                stage.RequestUpdate(i % 2 == 0 ? Notch50 : Notch60);
                Thread.Yield();
            }
        });
        updater.Start();

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int f = 0; f < frames; f++)
        {
            FillFrame(slab, f, samples);
            switchedAt[f] = stage.Process(slab);
            chainOfFrame[f] = stage.Current;
            slab.MicrovoltSpan.CopyTo(outputs.AsSpan(f * samples * channels));
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        done.Cancel();
        updater.Join();

        Assert.Equal(0, allocated);
        Assert.True(switchedAt[0]);
        Assert.Equal(switchedAt.Count(s => s), stage.UpdatesApplied);

        // Replay: each frame must be exactly what the chain in force produced, continuing its own state,
        // primed at the frame where it took over. Nothing skipped, nothing filtered twice.
        var replay = new Slab(channels, samples);
        DspChain? chain = null;
        for (int f = 0; f < frames; f++)
        {
            FillFrame(replay, f, samples);
            if (switchedAt[f])
            {
                chain = new DspChain(chainOfFrame[f].Settings, channels, 4000, MicrovoltsPerCount);
                chain.ConvertCounts(replay);
                chain.PrimeSteadyState(replay.MicrovoltSpan);
                chain.ProcessMicrovolts(replay.MicrovoltSpan, samples);
            }
            else
            {
                Assert.Same(chainOfFrame[f - 1], chainOfFrame[f]);
                chain!.Process(replay);
            }
            Assert.True(replay.MicrovoltSpan.SequenceEqual(outputs.AsSpan(f * samples * channels, samples * channels)), $"frame {f}");
        }
    }

    [Fact]
    public void An_invalid_change_is_refused_and_the_running_chain_goes_on()
    {
        var stage = new DspStage(Notch50, 8, 4000, MicrovoltsPerCount);
        var before = stage.Current;

        var e = Assert.Throws<ConfigException>(() => stage.RequestUpdate(Notch50 with { LowpassHz = 2500 }));

        Assert.StartsWith("pipeline.dsp.lowpass.cutoff-hz = 2500 is not allowed", e.Message);
        var slab = new Slab(8, 1);
        FillFrame(slab, 0, 1);
        Assert.False(stage.Process(slab));
        Assert.Same(before, stage.Current);
        Assert.Equal(0, stage.UpdatesApplied);
    }

    [Fact]
    public void Of_two_changes_requested_before_the_next_frame_only_the_newer_takes_effect()
    {
        var stage = new DspStage(Notch50, 8, 4000, MicrovoltsPerCount);
        stage.RequestUpdate(Notch60);
        var newest = stage.RequestUpdate(Notch50 with { LowpassHz = 40 });
        var slab = new Slab(8, 1);
        FillFrame(slab, 0, 1);

        Assert.True(stage.Process(slab));
        FillFrame(slab, 1, 1);
        Assert.False(stage.Process(slab));

        Assert.Same(newest, stage.Current);
        Assert.Equal(1, stage.UpdatesApplied);
    }
}
