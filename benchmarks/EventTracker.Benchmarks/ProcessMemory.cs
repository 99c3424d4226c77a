using System.Diagnostics;

namespace EventTracker.Benchmarks;

/// <summary>The memory this process holds, as the system counts it.</summary>
internal static class ProcessMemory
{
    /// <summary>Resident bytes after a full collection, so garbage does not count.</summary>
    public static long ResidentBytes()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }
}
