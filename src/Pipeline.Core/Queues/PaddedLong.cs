using System.Runtime.InteropServices;

namespace Eeg.Pipeline.Queues;

/// <summary>
/// A long alone on its cache line. A queue's producer and consumer positions are written by
/// different threads; sharing a 64-byte line they would bounce it between cores on every operation
/// (false sharing). <see cref="CacheLine.Padding"/> bytes before and after also keep it clear of
/// whatever the runtime places next to it. (Not nested in the generic queue: the runtime refuses
/// explicit layout on a type nested in a generic one.)
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 2 * CacheLine.Padding + sizeof(long))]
internal struct PaddedLong
{
    [FieldOffset(CacheLine.Padding)] public long Value;
}
