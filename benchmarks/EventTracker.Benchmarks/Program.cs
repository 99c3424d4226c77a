using System.Globalization;
using BenchmarkDotNet.Running;
using EventTracker.Benchmarks;

// "memory [count]" measures the footprint of held events; "client [events]" the background client's throughput to a
// local server; "fanout [readers] [events/s] [services] [seconds]" runs the live-stream load harness; anything else
// goes to BenchmarkDotNet; "durability [events on disk] [seconds]" compares the durable store with memory only;
// "access [seconds]" measures what API keys and rate limits cost single-event ingestion; "metrics [seconds]" what the
// server's own metrics cost it; "monitor-load [loads]" the
// main-thread time the monitor.js tag adds to a page load in Chromium; "ai [events]" times insights and the feature
// export over a full store; "otlp [spans]" OTLP span ingestion against JSON batches of the same events; "postgres [rows]
// [seconds] [senders]" the PostgreSQL store through one and two nodes against a plain COPY with as many writers, and
// nodes over a database filled with rows events (rows 0: ingestion only; seconds 0: the filled database only); "ingest
// [seconds]" single and batch ingestion of the server against a bare minimal-API floor ("floor <port>" runs that floor); "stalled
// [readers] [events]" ingestion and other requests with SSE and WebSocket readers that never read, against none;
// "queries [events]" each query's latency and the server's memory over a store filled with that many events; "late
// [events]" ingestion of events a minute behind the newest against events in time order; "scaling [seconds]" the
// "ingest" comparison with the server and the floor pinned to 1, 2 and all CPUs (ingest, scaling, stalled, queries
// and late run the server on the durable default, memory only and PostgreSQL, or those HARNESS_STORES names); "wsdelivery [readers] [events]" the
// server's CPU per event delivered to WebSocket readers that keep up.
if (args is ["floor", var floorPort])
{
    BareFloor.Run(int.Parse(floorPort, CultureInfo.InvariantCulture));
    return;
}

if (args is ["wsdelivery", ..])
{
    await WebSocketDelivery.RunAsync(Argument(1, 50), Argument(2, 20_000));
    return;
}

if (args is ["ingest", ..])
{
    await IngestVsFloor.RunAsync(Argument(1, 10));
    return;
}

if (args is ["memory", ..])
{
    MemoryFootprint.Run(Argument(1, 1_000_000));
    return;
}

if (args is ["client", ..])
{
    await ClientThroughput.RunAsync(Argument(1, 200_000));
    return;
}

if (args is ["access", ..])
{
    await AccessOverhead.RunAsync(Argument(1, 10));
    return;
}

if (args is ["metrics", ..])
{
    await MetricsOverhead.RunAsync(Argument(1, 10));
    return;
}

if (args is ["ai", ..])
{
    await AiSurfaceBenchmark.RunAsync(Argument(1, 1_000_000));
    return;
}

if (args is ["otlp", ..])
{
    await OtlpThroughput.RunAsync(Argument(1, 200_000));
    return;
}

if (args is ["monitor-load", ..])
{
    await MonitorLoadCost.RunAsync(Argument(1, 10));
    return;
}

if (args is ["recover", var directory, var capacity])
{
    DurabilityBenchmark.Recover(directory, int.Parse(capacity, CultureInfo.InvariantCulture));
    return;
}

if (args is ["durability", ..])
{
    await DurabilityBenchmark.RunAsync(Argument(1, 1_000_000), Argument(2, 10));
    return;
}

if (args is ["postgres", ..])
{
    await PostgresScaleOut.RunAsync(Argument(1, 10_000_000), Argument(2, 10), Argument(3, 16));
    return;
}

if (args is ["scaling", ..])
{
    await IngestVsFloor.ScalingAsync(Argument(1, 6));
    return;
}

if (args is ["late", ..])
{
    await LateArrivals.RunAsync(Argument(1, 50_000));
    return;
}

if (args is ["queries", ..])
{
    await QueriesAtScale.RunAsync(Argument(1, 1_000_000));
    return;
}

if (args is ["stalled", ..])
{
    await StalledReadersHarness.RunAsync(Argument(1, 300), Argument(2, 50_000));
    return;
}

if (args is ["fanout", ..])
{
    await FanOutHarness.RunAsync(Argument(1, 1000), Argument(2, 10_000), Argument(3, 100), TimeSpan.FromSeconds(Argument(4, 10)));
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(StoreBenchmarks).Assembly).Run(args);

int Argument(int index, int fallback) => args.Length > index ? int.Parse(args[index], CultureInfo.InvariantCulture) : fallback;
