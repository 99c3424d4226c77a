using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace EventTracker.AspNetCore.Tests;

/// <summary>
/// The sample web API with the middleware, run as its own process against a tracking server that is not there, and
/// stopped with SIGTERM as a service manager or container runtime stops it.
/// </summary>
public sealed class ShutdownProcessTests
{
    [Fact]
    public async Task With_the_tracking_server_unreachable_SIGTERM_ends_the_app_within_its_shutdown_timeout_with_one_warning()
    {
        var port = FreePort();
        var output = new StringBuilder();
        var info = new ProcessStartInfo("dotnet", [SampleAssembly()])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        info.Environment["EventTracker__BaseAddress"] = "http://127.0.0.1:9/"; // the discard port: nothing answers
        info.Environment["DOTNET_shutdownTimeoutSeconds"] = "3";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        using var app = Process.Start(info)!;
        app.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        app.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        app.BeginOutputReadLine();
        app.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            await WaitUntilServingAsync(http);
            for (var i = 0; i < 50; i++)
            {
                using var response = await http.GetAsync($"/api/users/user-{i}");
                Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            }

            using (var kill = Process.Start("kill", ["-TERM", app.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            // A liveness bound, far below the 30 s + 60 s the app took before: the shutdown timeout is 3 s.
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await app.WaitForExitAsync(wait.Token);
        }
        finally
        {
            if (!app.HasExited)
            {
                app.Kill(entireProcessTree: true);
            }
        }

        var log = output.ToString();
        var warnings = log.Split('\n').Where(l => l.Contains("stopped before it could deliver", StringComparison.Ordinal)).ToList();
        var line = Assert.Single(warnings);
        Assert.Matches(@"deliver (\d+) events", line);
        Assert.DoesNotContain("gave up batch", log, StringComparison.Ordinal);
        Assert.True(log.Split('\n').Count(l => l.Contains("cannot deliver", StringComparison.Ordinal)) <= 1, log);
    }

    private static string SampleAssembly()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "EventTracker.sln")))
        {
            directory = directory.Parent;
        }

        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name; // bin/<configuration>/net10.0
        var path = Path.Combine(directory!.FullName, "samples", "WebApi", "bin", configuration, "net10.0", "WebApi.dll");
        Assert.True(File.Exists(path), path + " was not built");
        return path;
    }

    private static async Task WaitUntilServingAsync(HttpClient http)
    {
        for (var i = 0; i < 200; i++)
        {
            try
            {
                using var response = await http.GetAsync("/api/users/ready");
                return;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100);
            }
        }

        Assert.Fail("The sample app did not start.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
