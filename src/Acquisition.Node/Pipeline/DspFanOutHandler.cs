using Eeg.Acquisition.Dsp;
using Eeg.Acquisition.FanOut;
using Eeg.Pipeline.Ring;
using Eeg.Pipeline.Slabs;

namespace Eeg.Acquisition.Pipeline;

/// <summary>
/// The ring's consumer: filters each frame in place and fans it out, on the ring's consumer thread.
/// </summary>
/// <remarks>
/// Filtering here, not in an actor's receive, saves a mailbox hop on the way to every sink: waking a
/// blocked thread costs ~35-45 us median and up to ms at p99 on these 2-core machines
/// (ARCHITECTURE.md), more than the whole latency budget. The DSP stage's settings are still owned
/// and changed by the acquisition actor (DspStage.RequestUpdate hands a new chain over lock-free).
/// See docs/perf.md (Pipeline.Latency) for the measured difference.
/// </remarks>
public sealed class DspFanOutHandler(DspStage dsp, FrameFanOut fanOut, AcquisitionCounters counters) : IEventHandler<RingSlot>
{
    public void OnEvent(RingSlot data, long sequence, bool endOfBatch)
    {
        if ((sequence & (AcquisitionCounters.AllocationSampleInterval - 1)) == 0) counters.SampleDspAllocation();
        Slab slab = data.Slab!;
        data.Slab = null;
        dsp.Process(slab);
        counters.FanOutLatency.RecordSince(slab.LastDrdyTicks);
        fanOut.Publish(slab);
    }
}
