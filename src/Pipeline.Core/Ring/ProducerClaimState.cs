using System.Runtime.InteropServices;
using Eeg.Pipeline.Queues;

namespace Eeg.Pipeline.Ring;

/// <summary>
/// The single producer's next claim and cached minimum gating sequence. Written by the producer on
/// every claim, never read by consumers. Padded on both sides (<see cref="CacheLine.Padding"/>) so
/// that the ring's read-only fields that consumers read on every event (the entries array and mask,
/// allocated right next to it in the same object) are not invalidated by each claim. Cost: 128 bytes
/// per ring. SequenceTests asserts the padding; RingBenchmarks (bench/) will show the throughput.
/// A type of its own because a type nested in the generic ring would be generic, and the runtime
/// refuses explicit layout on generic types.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 2 * CacheLine.Padding + 2 * sizeof(long))]
internal struct ProducerClaimState
{
    [FieldOffset(CacheLine.Padding)]
    public long Next;

    [FieldOffset(CacheLine.Padding + sizeof(long))]
    public long CachedGate;
}
