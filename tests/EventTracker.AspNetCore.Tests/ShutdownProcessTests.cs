using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using EventTracker.Testing;

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
        var output = new StringBuilder();
        var info = new ProcessStartInfo("dotnet", [SampleAssembly()])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0"; // the app picks a free port and says which
        info.Environment["EventTracker__BaseAddress"] = "http://127.0.0.1:9/"; // the discard port: nothing answers
        info.Environment["DOTNET_shutdownTimeoutSeconds"] = "3";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        using var app = Process.Start(info)!;
        app.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        app.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        app.BeginOutputReadLine();
        app.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = await AddressAsync(app, output) };
            for (var i = 0; i < 50; i++)
            {
                using var response = await http.GetAsync($"/api/users/user-{i}");
                Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            }

            using (var kill = Process.Start("kill", ["-TERM", app.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            // A liveness bound, well below the 30 s + 60 s the app took before: the shutdown timeout is 3 s.
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
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
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name; // bin/<configuration>/net10.0
        var path = Path.Combine(RepositoryRoot.Path, "samples", "WebApi", "bin", configuration, "net10.0", "WebApi.dll");
        Assert.True(File.Exists(path), path + " was not built");
        return path;
    }

    // Generous: test assemblies run side by side on a small machine, and the app's start-up competes with them.
    private static async Task<Uri> AddressAsync(Process app, StringBuilder output)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (DateTime.UtcNow < deadline && !app.HasExited)
        {
            lock (output)
            {
                if (Regex.Match(output.ToString(), @"Now listening on: (http://\S+)") is { Success: true } match)
                {
                    return new Uri(match.Groups[1].Value);
                }
            }

            await Task.Delay(100);
        }

        lock (output)
        {
            Assert.Fail($"The sample app did not start (exited: {app.HasExited}). Its output:\n{output}");
            return null!;
        }
    }
}
