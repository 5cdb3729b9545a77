using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Eeg.Acquisition.Pacing;

/// <summary>
/// Waits until an absolute monotonic deadline, the way the simulated amplifier and paced replay
/// stand in for a DRDY edge. No fixed sleep: the wait ends at the deadline, however late we
/// started waiting.
/// </summary>
/// <remarks>
/// Linux: <c>clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME)</c> on the same clock as
/// <see cref="Stopwatch"/> (its frequency there is 1 GHz of CLOCK_MONOTONIC), with the thread's timer
/// slack cut from the default 50 us to 1 us (<c>prctl(PR_SET_TIMERSLACK)</c>): with the default slack
/// the kernel may wake us up to 50 us late by design, a fifth of a 4 kSPS sample period.
/// Measured (Pipeline.Latency --timer-slack, 250 us deadlines, this 2-core machine at load 15):
/// median lateness 69.6 us with the default slack, 21.2 us with 1 us; the p99 (~1 ms) is the
/// scheduler's, not the timer's, and the slack does not change it (docs/perf.md).
/// Elsewhere (or if the call fails) it falls back to spinning with <see cref="SpinWait"/>.
/// </remarks>
public static partial class PreciseClock
{
    private const int ClockMonotonic = 1;
    private const int TimerAbsTime = 1;
    private const int PrSetTimerSlack = 29;

    private static readonly bool CanSleepAbsolute =
        OperatingSystem.IsLinux() && Stopwatch.Frequency == 1_000_000_000L;

    /// <summary>Asks the kernel to wake this thread within 1 us of its deadlines (Linux only; per thread).</summary>
    public static void UseFineTimerSlackForThisThread()
    {
        if (!OperatingSystem.IsLinux()) return;
        try
        {
            _ = Prctl(PrSetTimerSlack, 1000, 0, 0, 0);
        }
        catch (EntryPointNotFoundException)
        {
        }
        catch (DllNotFoundException)
        {
        }
    }

    /// <summary>Blocks (parks in the kernel) until <paramref name="deadlineTicks"/>, a Stopwatch timestamp.</summary>
    public static void SleepUntil(long deadlineTicks)
    {
        if (CanSleepAbsolute)
        {
            var request = new Timespec { Seconds = deadlineTicks / 1_000_000_000L, Nanoseconds = deadlineTicks % 1_000_000_000L };
            // EINTR (a signal) returns early: loop until the deadline has really passed.
            while (Stopwatch.GetTimestamp() < deadlineTicks)
            {
                if (ClockNanosleep(ClockMonotonic, TimerAbsTime, ref request, IntPtr.Zero) != 0 && Stopwatch.GetTimestamp() >= deadlineTicks) break;
            }
            return;
        }
        SpinUntil(deadlineTicks);
    }

    /// <summary>Spins (never leaves the core) until the deadline: lowest jitter, burns the core.</summary>
    public static void SpinUntil(long deadlineTicks)
    {
        while (Stopwatch.GetTimestamp() < deadlineTicks)
        {
            Thread.SpinWait(20);
        }
    }

    /// <summary>Yields the core to other ready threads until the deadline.</summary>
    public static void YieldUntil(long deadlineTicks)
    {
        while (Stopwatch.GetTimestamp() < deadlineTicks)
        {
            if (!Thread.Yield()) Thread.SpinWait(20);
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_nanosleep")]
    private static partial int ClockNanosleep(int clockId, int flags, ref Timespec request, IntPtr remain);

    [LibraryImport("libc", EntryPoint = "prctl")]
    private static partial int Prctl(int option, ulong arg2, ulong arg3, ulong arg4, ulong arg5);
}
