using Eeg.Pipeline.Sinks;
using Eeg.Pipeline.Slabs;
using Eeg.Shared.Frames;

namespace Eeg.Acquisition.FanOut;

/// <summary>
/// A sink fed through a bare <see cref="FramePolicyQueue"/>, without a mailbox: for consumers that
/// poll on their own thread (benchmarks, the latency harness, tests) and for data paths where the
/// harness shows a mailbox hop costs more than it gives.
/// </summary>
public sealed class QueueFrameSink(string name, FramePolicyQueue queue) : IFrameSink
{
    public string Name { get; } = name;
    public FramePolicyQueue Queue { get; } = queue;
    public StreamDescription? Description { get; private set; }

    public void Offer(Slab slab) => Queue.Offer(slab);

    public void Describe(StreamDescription description) => Description = description;
}
