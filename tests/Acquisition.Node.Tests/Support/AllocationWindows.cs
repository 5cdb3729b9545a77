namespace Eeg.Tests.Acquisition.Node.Support;

/// <summary>
/// Exact allocation measurement on the calling thread over up to three windows, returning the
/// smallest: an allocation per frame shows in every window, while the runtime's one-off work on the
/// thread (on-stack replacement of long loops, tier-up; 818-8551 B seen in one window of loaded CI
/// runs) shows in one at most. Tests assert the result is exactly 0.
/// </summary>
internal static class AllocationWindows
{
    /// <param name="window">Runs one window and returns bytes to leave out of it (e.g. an emulator's own), usually 0.</param>
    public static long Smallest(Func<long> window)
    {
        long smallest = long.MaxValue;
        for (int i = 0; i < 3 && smallest != 0; i++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            long excluded = window();
            smallest = Math.Min(smallest, GC.GetAllocatedBytesForCurrentThread() - before - excluded);
        }
        return smallest;
    }
}
