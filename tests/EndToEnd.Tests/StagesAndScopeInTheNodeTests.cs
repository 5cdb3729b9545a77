using System.Buffers.Binary;
using System.Net.WebSockets;
using Akka.Actor;
using Eeg.Acquisition.Hosting;
using Eeg.Pipeline.Configuration;
using Eeg.Pipeline.Sinks;
using Eeg.Shared.Recording;
using Eeg.Shared.Stages;

namespace Eeg.Tests.EndToEnd;

/// <summary>Throws on every 100th frame it sees, to prove a crashing plug-in costs the rest of the pipeline nothing.</summary>
public sealed class EveryHundredthFrameThrowsStage : IStage
{
    private long _frames;

    public void Process(in FrameView frame, IStageContext context)
    {
        if (++_frames % 100 == 0) throw new InvalidOperationException($"stage bug at sample {frame.FirstSampleIndex}");
    }
}

/// <summary>Takes 50 ms per frame (200 times slower than real time at 4 kSPS with 1-sample frames).</summary>
public sealed class FiftyMillisecondStage : IStage
{
    public void Process(in FrameView frame, IStageContext context) => Thread.Sleep(50);
}

/// <summary>
/// The node with a crashing stage and a slow stage beside the recorder and the live scope: the
/// recorder and a WebSocket client must see every sample, acquisition must count no overrun,
/// the crashing stage keeps being restarted and the slow one only loses its own frames.
/// </summary>
public sealed class StagesAndScopeInTheNodeTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("eeg-e2e-stages-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task A_crashing_stage_and_a_slow_stage_cost_the_recorder_the_scope_and_acquisition_nothing()
    {
        await using NodeHost node = await NodeHost.StartAsync(ConfigLoader.Load(null, $$"""
            pipeline {
              channels = 32, sample-rate = 4000, wait-strategy = blocking, simulated.signal = pattern
              stages = [
                { name = flaky, type = "{{typeof(EveryHundredthFrameThrowsStage).FullName}}", policy = drop-oldest, capacity = 8,
                  settings { max-restarts = 100000, restart-backoff = 1ms, restart-backoff-max = 1ms } }
                { name = slow, type = "{{typeof(FiftyMillisecondStage).FullName}}", policy = drop-oldest, capacity = 4 }
              ]
            }
            recorder { directory = "{{_directory}}", formats = [bdf] }
            gateway.http.port = 0
            """), statusOut: null);

        using var socket = new ClientWebSocket();
        Uri stream = new UriBuilder(new Uri(node.Roles.Gateway!.BaseAddress, "ws")) { Scheme = "ws" }.Uri;
        await socket.ConnectAsync(stream, CancellationToken.None);
        using var reading = new CancellationTokenSource();
        Task<(long Frames, long Jumps, string? FirstJump)> client = ReadFramesAsync(socket, reading.Token);

        await node.Recorder!.Ask<RecordingInfo>(new StartRecording("e2e", "stages"), TimeSpan.FromSeconds(10));
        await Task.Delay(TimeSpan.FromSeconds(4));
        RecordingInfo recording = await node.Recorder!.Ask<RecordingInfo>(StopRecording.Instance, TimeSpan.FromSeconds(10));
        reading.CancelAfter(TimeSpan.FromMilliseconds(200));
        (long frames, long jumps, string? firstJump) = await client;

        SinkCounters flaky = SinkRegistry.For(node.System).All.Single(s => s.Name == "flaky");
        SinkCounters slow = SinkRegistry.For(node.System).All.Single(s => s.Name == "slow");
        string status = node.FinalStatusLine();

        Assert.Equal(0, node.Pipeline.Counters.Overruns);
        Assert.True(recording.Samples > 12_000, status);
        Assert.True(recording.GapSamples == 0, $"the recorder lost {recording.GapSamples} samples: {status}");
        Assert.True(frames > 12_000, $"the WebSocket client received {frames} frames: {status}");
        Assert.True(jumps == 0, $"the WebSocket client saw {jumps} jumps in the sample index ({firstJump}): {status}");
        Assert.True(flaky.Restarts >= 10, $"the crashing stage restarted {flaky.Restarts} times: {status}");
        Assert.False(flaky.Failed, flaky.FailureReason);
        Assert.True(slow.Dropped > 10_000, $"the slow stage dropped {slow.Dropped}: {status}");
        Assert.True(slow.Delivered < 200, $"the slow stage took {slow.Delivered} frames in 4 s at 50 ms each");
    }

    /// <summary>Reads the binary stream (docs/protocol.md) and checks that sample indices continue.</summary>
    private static async Task<(long, long, string?)> ReadFramesAsync(ClientWebSocket socket, CancellationToken ct)
    {
        var buffer = new byte[1 << 20];
        long frames = 0, jumps = 0, next = -1;
        string? firstJump = null;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                int length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await socket.ReceiveAsync(buffer.AsMemory(length), ct);
                    length += result.Count;
                }
                while (!result.EndOfMessage);
                if (result.MessageType != WebSocketMessageType.Binary) continue;
                int offset = 0;
                while (offset < length)
                {
                    ReadOnlySpan<byte> frame = buffer.AsSpan(offset, length - offset);
                    Assert.Equal("EEG1"u8.ToArray(), frame[..4].ToArray());
                    int header = BinaryPrimitives.ReadUInt16LittleEndian(frame[4..]);
                    int channels = BinaryPrimitives.ReadUInt16LittleEndian(frame[6..]);
                    int samples = (int)BinaryPrimitives.ReadUInt32LittleEndian(frame[8..]);
                    long first = (long)BinaryPrimitives.ReadUInt64LittleEndian(frame[16..]);
                    if (next >= 0 && first != next)
                    {
                        jumps++;
                        firstJump ??= $"expected {next}, got {first}";
                    }
                    next = first + samples;
                    frames++;
                    offset += header + 4 * samples * channels;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        return (frames, jumps, firstJump);
    }
}
