using Eeg.Pipeline.Slabs;
using Eeg.Shared.Frames;

namespace Eeg.Acquisition.FanOut;

/// <summary>A destination of the fan-out. It receives one reference to the slab and must release it.</summary>
public interface IFrameSink
{
    string Name { get; }

    /// <summary>Hands over one reference of <paramref name="slab"/>. Called on the DSP thread; must not allocate.</summary>
    void Offer(Slab slab);

    /// <summary>The stream started or changed. Called off the hot path.</summary>
    void Describe(StreamDescription description);
}
