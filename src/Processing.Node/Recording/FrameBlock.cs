using Eeg.Shared.Frames;

namespace Eeg.Processing.Recording;

/// <summary>
/// One block of the recorder's own buffer: contiguous samples (no gap inside), sample-major like a
/// slab. The caller copies frames in, the writer thread writes the block out and hands it back.
/// </summary>
/// <remarks>
/// Blocks rather than one slot per frame: with 1-sample frames at 4 kSPS a slot per frame would be
/// 4000 hand-offs (semaphore release + wake) per second to the writer thread; a 100 ms block makes
/// it 10, and the copy into it is one Array.Copy per frame. Costs 100 ms of extra latency to disk,
/// which nothing needs. RecordingAllocationTests shows the copy side allocates nothing.
///
/// A block holds only what its formats read: counts for BDF, microvolts for CSV. With BDF alone a
/// 4 s buffer at 32 ch x 4000 SPS is 2 MB instead of 4 MB, and each frame is one copy instead of two.
/// </remarks>
internal sealed class FrameBlock
{
    /// <summary>Triggers one block holds; a frame whose triggers would overflow it starts a new block.</summary>
    public const int MaxTriggers = 256;

    public FrameBlock(int channels, int capacitySamples, bool counts = true, bool microvolts = true)
    {
        Channels = channels;
        Capacity = capacitySamples;
        Counts = counts ? new int[channels * capacitySamples] : Array.Empty<int>();
        Microvolts = microvolts ? new float[channels * capacitySamples] : Array.Empty<float>();
        Triggers = new TriggerEvent[MaxTriggers];
    }

    public int Channels { get; }
    public int Capacity { get; }
    public int[] Counts { get; }
    public float[] Microvolts { get; }
    public TriggerEvent[] Triggers { get; }

    public long FirstSampleIndex;
    public int SampleCount;
    /// <summary>Samples missing between the previous block's last sample and this block's first.</summary>
    public long GapBefore;
    public long FirstSampleUnixNs;
    public int TriggerCount;
    /// <summary>Set on the last block of a recording: the writer closes the files after it.</summary>
    public bool EndOfRecording;

    public int Free => Capacity - SampleCount;

    public void Reset()
    {
        FirstSampleIndex = 0;
        SampleCount = 0;
        GapBefore = 0;
        FirstSampleUnixNs = 0;
        TriggerCount = 0;
        EndOfRecording = false;
    }
}
