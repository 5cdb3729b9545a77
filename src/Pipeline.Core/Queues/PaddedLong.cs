using System.Runtime.InteropServices;

namespace Eeg.Pipeline.Queues;

/// <summary>
/// A long alone on its cache line. The producer and consumer positions of a queue are written by
/// different threads; sharing a 64-byte line they would bounce it between cores on every operation
/// (false sharing). <see cref="CacheLine.Padding"/> bytes before the value and
/// <see cref="CacheLine.Padding"/> - 8 after it: no neighbouring field shares its line.
/// </summary>
/// <remarks>
/// A top-level type on purpose: nested in the generic <see cref="BoundedMpmcQueue{T}"/> it was itself
/// generic, and the runtime refuses to load a generic type with explicit layout (TypeLoadException on
/// the first queue, i.e. the first SlabPool, ever constructed).
/// </remarks>
[StructLayout(LayoutKind.Explicit, Size = 2 * CacheLine.Padding)]
internal struct PaddedLong
{
    [FieldOffset(CacheLine.Padding)]
    public long Value;
}
