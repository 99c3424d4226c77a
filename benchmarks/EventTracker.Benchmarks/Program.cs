using BenchmarkDotNet.Running;
using EventTracker.Benchmarks;

// "memory [count]" measures the footprint of held events; anything else goes to BenchmarkDotNet.
if (args is ["memory", ..])
{
    MemoryFootprint.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(StoreBenchmarks).Assembly).Run(args);
