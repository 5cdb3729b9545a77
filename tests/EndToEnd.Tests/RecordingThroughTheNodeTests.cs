using Akka.Actor;
using Eeg.Acquisition.Hosting;
using Eeg.Pipeline.Configuration;
using Eeg.Processing.Recording;
using Eeg.Shared.Recording;

namespace Eeg.Tests.EndToEnd;

/// <summary>The node as a user runs it: record the pattern signal, verify it, replay it, record the replay.</summary>
public sealed class RecordingThroughTheNodeTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("eeg-e2e-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static async Task<RecordingInfo> Ask(IActorRef recorder, object message)
    {
        object answer = await recorder.Ask<object>(message, TimeSpan.FromSeconds(15));
        return answer as RecordingInfo ?? throw new Xunit.Sdk.XunitException($"recorder answered {answer}");
    }

    [Fact]
    public async Task A_recording_of_the_pattern_has_every_sample_and_a_replay_of_it_records_the_same_samples()
    {
        string first = Path.Combine(_directory, "live");
        await using (NodeHost live = await NodeHost.StartAsync(ConfigLoader.Load(null, $$"""
            pipeline { channels = 32, sample-rate = 4000, wait-strategy = blocking, simulated.signal = pattern }
            recorder { directory = "{{first}}", formats = [bdf, csv] }
            gateway.enabled = off
            """), statusOut: null))
        {
            await Task.Delay(300);
            await Ask(live.Recorder!, new StartRecording("e2e", "live"));
            await Task.Delay(TimeSpan.FromSeconds(3));
            RecordingInfo stopped = await Ask(live.Recorder!, StopRecording.Instance);
            Assert.Equal(RecordingState.Stopped, stopped.State);
            Assert.True(stopped.GapSamples == 0, $"gap {stopped.GapSamples}: {live.FinalStatusLine()}");
            Assert.True(stopped.Samples >= 10_000, $"{stopped.Samples} samples in 3 s");
            Assert.Equal(0, live.Pipeline.Counters.Overruns);
        }

        string bdf = Directory.GetFiles(first, "*.bdf").Single();
        var output = new StringWriter();
        var error = new StringWriter();
        Assert.True(VerifyCommand.Run(bdf, checkPattern: true, output, error) == 0, output + "\n" + error);

        // Replay the file as fast as the pipeline takes it, recording from its first sample.
        string second = Path.Combine(_directory, "replayed");
        await using (NodeHost replay = await NodeHost.StartAsync(ConfigLoader.Load(null, $$"""
            pipeline {
              source = replay
              replay { file = "{{bdf}}", speed = fast }
              dsp.enabled = off
            }
            recorder { directory = "{{second}}", formats = [bdf], auto-start = on }
            gateway.enabled = off
            """), statusOut: null))
        {
            await replay.SourceCompletion.WaitAsync(TimeSpan.FromSeconds(60));
            Assert.Equal(0, replay.Pipeline.Counters.Overruns);
        }

        string copy = Directory.GetFiles(second, "*.bdf").Single();
        using BdfSampleStream original = BdfSampleStream.Open(bdf);
        using BdfSampleStream replayed = BdfSampleStream.Open(copy);
        Assert.Equal(original.ChannelNames, replayed.ChannelNames);
        Assert.Equal(original.SampleRate, replayed.SampleRate);
        int[] a = new int[original.ChannelCount];
        int[] b = new int[replayed.ChannelCount];
        long samples = 0;
        while (original.TryReadSample(a, out long indexA, out _))
        {
            Assert.True(replayed.TryReadSample(b, out long indexB, out _), $"the replay ends early, after {samples} samples");
            Assert.Equal(indexA, indexB);
            Assert.Equal(a, b);
            samples++;
        }
        Assert.False(replayed.TryReadSample(b, out _, out _), "the replay holds more samples than the original");
        Assert.True(samples >= 10_000);
    }
}
