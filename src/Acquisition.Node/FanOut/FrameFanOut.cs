using Eeg.Pipeline.Slabs;
using Eeg.Shared.Frames;

namespace Eeg.Acquisition.FanOut;

/// <summary>
/// Hands each filtered frame to every sink without copying: the slab's reference count is set to the
/// number of sinks, and each sink releases its reference when done (or its queue does, on a drop).
/// </summary>
/// <remarks>
/// The sink list is an immutable array swapped whole when a sink is added or removed (copy on write):
/// the DSP thread reads one volatile reference per frame and never takes a lock, and a change of sinks
/// never tears a frame's delivery.
/// </remarks>
public sealed class FrameFanOut
{
    private IFrameSink[] _sinks = [];
    private StreamDescription? _description;
    private readonly Lock _changeLock = new();

    /// <summary>The current sinks.</summary>
    public IReadOnlyList<IFrameSink> Sinks => Volatile.Read(ref _sinks);

    public void Add(IFrameSink sink)
    {
        lock (_changeLock)
        {
            if (_description is not null) sink.Describe(_description);
            Volatile.Write(ref _sinks, [.. _sinks, sink]);
        }
    }

    public bool Remove(string name)
    {
        lock (_changeLock)
        {
            IFrameSink[] kept = _sinks.Where(s => s.Name != name).ToArray();
            bool removed = kept.Length != _sinks.Length;
            Volatile.Write(ref _sinks, kept);
            return removed;
        }
    }

    /// <summary>Tells every sink (and every sink added later) what the stream is.</summary>
    public void Describe(StreamDescription description)
    {
        lock (_changeLock)
        {
            _description = description;
            foreach (IFrameSink sink in _sinks) sink.Describe(description);
        }
    }

    /// <summary>Delivers one frame to every sink; takes over the caller's single reference.</summary>
    public void Publish(Slab slab)
    {
        IFrameSink[] sinks = Volatile.Read(ref _sinks);
        if (sinks.Length == 0)
        {
            slab.Release();
            return;
        }
        // All references are set before the first sink sees the slab: a fast sink releasing its
        // reference cannot bring the count to zero while later sinks have not been handed theirs.
        slab.SetReferences(sinks.Length);
        for (int i = 0; i < sinks.Length; i++)
        {
            sinks[i].Offer(slab);
        }
    }
}
