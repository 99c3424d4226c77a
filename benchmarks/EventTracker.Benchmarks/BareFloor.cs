using System.Diagnostics;
using System.Globalization;
using EventTracker.Contracts;
using EventTracker.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace EventTracker.Benchmarks;

/// <summary>
/// The floor ingestion is measured against: a bare minimal-API app on Kestrel that parses the same JSON bodies (one
/// event, or a batch) with the same source-generated contracts and answers a small JSON, and stores nothing. It runs
/// as its own process (<c>floor &lt;port&gt;</c>), as the server does, so both are measured the same way.
/// </summary>
internal static class BareFloor
{
    /// <summary>Runs the floor app on 127.0.0.1:<paramref name="port"/> until the process is killed.</summary>
    public static void Run(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        app.MapGet("/healthz", () => "Healthy");
        app.MapPost("/api/events/track/batch", async (HttpContext context) =>
        {
            var batch = await context.Request.ReadFromJsonAsync(EventTrackerJsonContext.Default.BatchTrackEventRequest);
            return Results.Json(
                new BatchTrackEventResponse { Success = true, BatchId = batch?.BatchId ?? "b", ProcessedCount = batch?.Events.Count ?? 0, Timestamp = DateTimeOffset.UtcNow },
                EventTrackerJsonContext.Default.BatchTrackEventResponse,
                statusCode: 201);
        });
        app.MapPost("/api/events/track/{eventName}", async (HttpContext context, string eventName) =>
        {
            var payload = await context.Request.ReadFromJsonAsync(EventTrackerJsonContext.Default.AIEventPayload);
            return Results.Json(
                new TrackEventResponse { Success = true, EventId = eventName + payload?.ServiceName, Timestamp = DateTimeOffset.UtcNow },
                EventTrackerJsonContext.Default.TrackEventResponse,
                statusCode: 201);
        });
        app.Run();
    }

    /// <summary>Starts the floor as a child process of this benchmark (pinned to <paramref name="cpus"/> when given) and waits until it answers.</summary>
    public static async Task<FloorProcess> StartAsync(string? cpus = null)
    {
        var port = LoopbackPorts.Free();
        var info = new ProcessStartInfo("dotnet", [typeof(BareFloor).Assembly.Location, "floor", port.ToString(CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        ServerProcess.PinTo(info, cpus);
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var floor = new FloorProcess(process, new Uri($"http://127.0.0.1:{port}"));
        using var http = new HttpClient { BaseAddress = floor.BaseAddress };
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                (await http.GetAsync("/healthz")).EnsureSuccessStatusCode();
                return floor;
            }
            catch (HttpRequestException) when (attempt < 100)
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>The running floor; killed on dispose.</summary>
    internal sealed class FloorProcess(Process process, Uri baseAddress) : IDisposable
    {
        public Uri BaseAddress { get; } = baseAddress;

        /// <summary>CPU time the floor process has used so far.</summary>
        public TimeSpan CpuTime
        {
            get
            {
                process.Refresh();
                return process.TotalProcessorTime;
            }
        }

        public void Dispose()
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            process.Dispose();
        }
    }
}
