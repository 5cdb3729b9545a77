using BenchmarkDotNet.Attributes;
using Eeg.Processing.Recording;
using Eeg.Shared.Frames;

namespace Eeg.Bench;

/// <summary>
/// The BDF+ writer encoding one 100 ms block of 32 channels x 4000 SPS (400 samples) into 24-bit
/// records, to a stream that discards the bytes: the CPU cost of recording, without the disk.
/// Per block; one second of signal is ten blocks.
/// </summary>
public class BdfEncoderBenchmarks
{
    private BdfWriter _writer = null!;
    private FrameBlock _block = null!;
    private long _next;

    [GlobalSetup]
    public void Setup()
    {
        var names = StreamDescription.DefaultChannelNames(32);
        var meta = new RecordingMetadata(names, 4000, 24, 4.5, "bench", "1", "EEG ADS1299", "none", 4000, 0);
        _writer = new BdfWriter("bench.bdf", Stream.Null, meta);
        _block = new FrameBlock(32, 400, counts: true, microvolts: false);
        var random = new Random(1);
        for (int i = 0; i < _block.Counts.Length; i++) _block.Counts[i] = random.Next(-8_388_608, 8_388_607);
    }

    [Benchmark]
    public void EncodeBlock()
    {
        _block.FirstSampleIndex = _next;
        _block.SampleCount = 400;
        _block.GapBefore = 0;
        _next += 400;
        _writer.Write(_block);
    }
}
