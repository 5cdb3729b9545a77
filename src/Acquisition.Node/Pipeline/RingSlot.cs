using Eeg.Pipeline.Slabs;

namespace Eeg.Acquisition.Pipeline;

/// <summary>
/// One entry of the ring: a handle to the slab holding a published frame. The ring's entries are
/// allocated once; only the reference changes hands, so publishing a frame copies 8 bytes.
/// </summary>
public sealed class RingSlot
{
    public Slab? Slab;
}
