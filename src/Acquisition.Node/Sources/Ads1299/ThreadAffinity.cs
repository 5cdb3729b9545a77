using System.Runtime.InteropServices;

namespace Eeg.Acquisition.Sources.Ads1299;

/// <summary>
/// Pins the calling thread to one CPU (Linux sched_setaffinity). Why and when: with isolcpus=3 on
/// the kernel command line no other task is scheduled on CPU 3, and the reader pinned there wakes on
/// DRDY without waiting for the web server or the GC to leave the core, and keeps its caches warm.
/// On a core that is not isolated pinning helps little and can hurt (the reader cannot move away from
/// a busy core), so it is off unless pipeline.ads1299.cpu names a CPU. .NET has no API for a
/// thread's affinity, hence the P/Invoke.
/// </summary>
public static partial class ThreadAffinity
{
    /// <summary>Pins the calling thread to <paramref name="cpu"/>; returns an error text, or null on success.</summary>
    public static string? PinCurrentThread(int cpu)
    {
        if (!OperatingSystem.IsLinux()) return "CPU pinning needs Linux";
        if (cpu is < 0 or >= 1024) return $"CPU {cpu} is out of range";
        Span<ulong> mask = stackalloc ulong[16]; // cpu_set_t: 1024 bits
        mask.Clear();
        mask[cpu / 64] = 1UL << (cpu % 64);
        unsafe
        {
            fixed (ulong* m = mask)
            {
                // pid 0 = the calling thread.
                if (SchedSetAffinity(0, (nuint)(mask.Length * sizeof(ulong)), m) != 0)
                {
                    return $"sched_setaffinity(CPU {cpu}) failed with errno {Marshal.GetLastPInvokeError()}";
                }
            }
        }
        return null;
    }

    [LibraryImport("libc", EntryPoint = "sched_setaffinity", SetLastError = true)]
    private static unsafe partial int SchedSetAffinity(int pid, nuint size, ulong* mask);
}
