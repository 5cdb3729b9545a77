using System.Buffers.Binary;
using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Configuration;
using Akka.Serialization;
using Eeg.Pipeline.Configuration;
using Eeg.Shared.Frames;
using Eeg.Shared.Remote;

namespace Eeg.Tests.MultiNode.Wire;

public sealed class RemoteSinkSerializerTests : IDisposable
{
    private readonly ActorSystem _system = ActorSystem.Create("wire", ConfigLoader.Reference);

    public void Dispose() => _system.Terminate().Wait(TimeSpan.FromSeconds(10));

    private T RoundTrip<T>(T message) where T : notnull
    {
        Serializer serializer = _system.Serialization.FindSerializerFor(message);
        Assert.IsType<RemoteSinkSerializer>(serializer);
        string manifest = Akka.Serialization.Serialization.ManifestFor(serializer, message);
        byte[] bytes = serializer.ToBinary(message);
        return (T)_system.Serialization.Deserialize(bytes, serializer.Identifier, manifest);
    }

    [Fact]
    public void Reference_conf_binds_every_remote_sink_message_to_our_serializer_with_one_letter_manifests()
    {
        var probe = _system.ActorOf(Props.Empty, "consumer");
        object[] messages =
        {
            TestBatches.Make(4, 2, 3),
            new CreditGrant(1, 2, 3),
            new RemoteSinkSubscribe("remote-recorder", probe, 8),
            new RemoteStreamStarted(5, new StreamDescription(["a"], 250, 1, 24, 4.5, "uV", "none", 0, "simulated"), 1),
            new RemoteSinkRefused("x", "y"),
        };
        foreach (object message in messages)
        {
            var serializer = (SerializerWithStringManifest)_system.Serialization.FindSerializerFor(message);
            Assert.Equal(RemoteSinkSerializer.Id, serializer.Identifier);
            Assert.Single(serializer.Manifest(message));
        }
    }

    [Fact]
    public void A_frame_batch_round_trips_with_every_header_field_sample_and_trigger()
    {
        FrameBatch sent = TestBatches.Make(channels: 32, frames: 5, samplesPerFrame: 8);
        FrameBatch got = RoundTrip(sent);

        Assert.Equal(sent.Sequence, got.Sequence);
        Assert.Equal(sent.StreamId, got.StreamId);
        Assert.Equal(sent.Channels, got.Channels);
        Assert.Equal(sent.FrameCount, got.FrameCount);
        Assert.Equal(sent.SampleCount, got.SampleCount);
        Assert.Equal(sent.TriggerCount, got.TriggerCount);
        for (int f = 0; f < sent.FrameCount; f++)
        {
            Assert.Equal(sent.Frames[f], got.Frames[f]);
            Assert.True(sent.MicrovoltsOf(f).SequenceEqual(got.MicrovoltsOf(f)));
            Assert.True(sent.CountsOf(f).SequenceEqual(got.CountsOf(f)));
            Assert.True(sent.TriggersOf(f).SequenceEqual(got.TriggersOf(f)));
        }
        Assert.Equal(RemoteSinkSerializer.BatchLength(sent), RemoteSinkSerializer.WriteBatch(sent).Length);
    }

    [Fact]
    public void Extreme_values_survive_the_trip_bit_for_bit()
    {
        var batch = new FrameBatch(2, 1, 2, 0) { Sequence = long.MaxValue, StreamId = long.MinValue };
        float[] uv = [float.MaxValue, float.Epsilon, float.NaN, -0.0f];
        int[] counts = [-(1 << 23), (1 << 23) - 1, int.MinValue, int.MaxValue];
        Assert.True(batch.TryAppend(new FrameRecord { FirstSampleIndex = long.MaxValue - 2, SampleCount = 2, Flags = (FrameFlags)0xFFFF_FFFF, GapSamples = long.MaxValue }, uv, counts, []));

        FrameBatch got = RoundTrip(batch);

        Assert.Equal(uv.Select(BitConverter.SingleToInt32Bits), got.MicrovoltsOf(0).ToArray().Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(counts, got.CountsOf(0).ToArray());
        Assert.Equal(batch.Frames[0], got.Frames[0]);
        Assert.Equal(long.MaxValue, got.Sequence);
    }

    [Fact]
    public void Control_messages_round_trip()
    {
        IActorRef consumer = _system.ActorOf(Props.Empty, "consumer-2");
        var description = new StreamDescription(StreamDescription.DefaultChannelNames(32), 4000, 1, 24, 4.5, "uV", "HP 0.5 Hz, µV", 1_700_000_000_000_000_000, "simulated");

        Assert.Equal(new CreditGrant(3, 41, 49), RoundTrip(new CreditGrant(3, 41, 49)));
        Assert.Equal(new RemoteSinkRefused("remote-recorder", "no such sink"), RoundTrip(new RemoteSinkRefused("remote-recorder", "no such sink")));
        RemoteSinkSubscribe subscribe = RoundTrip(new RemoteSinkSubscribe("remote-recorder", consumer, 16));
        Assert.Equal(("remote-recorder", consumer, 16), (subscribe.SinkName, subscribe.Consumer, subscribe.Window));
        RemoteStreamStarted started = RoundTrip(new RemoteStreamStarted(9, description, 123));
        Assert.Equal((9L, 123L), (started.StreamId, started.NextSequence));
        Assert.Equal(description.ChannelNames, started.Description.ChannelNames);
        Assert.Equal(description with { ChannelNames = started.Description.ChannelNames }, started.Description);
    }

    [Fact]
    public void A_batch_of_a_newer_format_version_is_refused_with_a_line_that_says_to_update()
    {
        byte[] bytes = RemoteSinkSerializer.WriteBatch(TestBatches.Make(4, 2, 3));
        bytes[2] = RemoteSinkSerializer.FormatVersion + 1;

        var error = Assert.Throws<SerializationException>(() => RemoteSinkSerializer.ReadBatch(bytes));

        Assert.Contains("version 2 is newer than this node reads (up to 1)", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void A_reader_skips_header_and_frame_record_bytes_a_newer_writer_appended()
    {
        FrameBatch sent = TestBatches.Make(4, 3, 2);
        byte[] v1 = RemoteSinkSerializer.WriteBatch(sent);
        const int extraHeader = 12, extraRecord = 8;
        byte[] newer = Extend(v1, sent, extraHeader, extraRecord);

        FrameBatch got = RemoteSinkSerializer.ReadBatch(newer);

        Assert.Equal(sent.FrameCount, got.FrameCount);
        for (int f = 0; f < sent.FrameCount; f++)
        {
            Assert.Equal(sent.Frames[f], got.Frames[f]);
            Assert.True(sent.CountsOf(f).SequenceEqual(got.CountsOf(f)));
            Assert.True(sent.MicrovoltsOf(f).SequenceEqual(got.MicrovoltsOf(f)));
        }
    }

    [Theory]
    [InlineData(0, "magic")]
    [InlineData(1, "header announces")]
    [InlineData(2, "shorter than its header")]
    public void A_damaged_batch_is_refused_with_one_line(int damage, string expected)
    {
        byte[] bytes = RemoteSinkSerializer.WriteBatch(TestBatches.Make(4, 2, 3));
        bytes = damage switch
        {
            0 => [0, 0, .. bytes[2..]],
            1 => bytes[..^1],
            _ => bytes[..5],
        };

        var error = Assert.Throws<SerializationException>(() => RemoteSinkSerializer.ReadBatch(bytes));

        Assert.Contains(expected, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void A_frame_that_does_not_fit_is_not_copied_and_the_batch_says_it_is_full()
    {
        var batch = new FrameBatch(2, 3, 4, 1);
        var record = new FrameRecord { FirstSampleIndex = 0, SampleCount = 3 };
        Assert.True(batch.TryAppend(record, new float[6], new int[6], []));
        Assert.False(batch.TryAppend(record with { FirstSampleIndex = 3 }, new float[6], new int[6], []));
        Assert.Equal((1, 3), (batch.FrameCount, batch.SampleCount));
        Assert.True(batch.TryAppend(record with { FirstSampleIndex = 3, SampleCount = 1 }, new float[2], new int[2], []));
        Assert.True(batch.IsFull);
    }

    /// <summary>Rewrites a v1 batch as a later minor revision would: longer header and frame records, same version.</summary>
    private static byte[] Extend(byte[] v1, FrameBatch batch, int extraHeader, int extraRecord)
    {
        int header = RemoteSinkSerializer.HeaderLengthV1, record = RemoteSinkSerializer.FrameRecordLengthV1;
        var output = new List<byte>();
        output.AddRange(v1[..header]);
        output.AddRange(Enumerable.Repeat((byte)0xEE, extraHeader));
        for (int f = 0; f < batch.FrameCount; f++)
        {
            output.AddRange(v1.AsSpan(header + f * record, record).ToArray());
            output.AddRange(Enumerable.Repeat((byte)0xDD, extraRecord));
        }
        output.AddRange(v1[(header + batch.FrameCount * record)..]);
        byte[] bytes = output.ToArray();
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(4), (ushort)(header + extraHeader));
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(20), (ushort)(record + extraRecord));
        return bytes;
    }
}
