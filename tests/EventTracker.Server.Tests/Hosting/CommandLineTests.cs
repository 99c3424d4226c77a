using System.Diagnostics;
using EventTracker.Testing;

namespace EventTracker.Server.Tests.Hosting;

/// <summary>The server's command line, run as a user runs it.</summary>
public sealed class CommandLineTests
{
    [Fact]
    public async Task Help_prints_the_options_and_exits_without_starting_a_server()
    {
        var (exitCode, output, _) = await RunToExitAsync("--help");

        Assert.Equal(0, exitCode);
        Assert.All(["--port", "--urls", "--data-dir", "--in-memory", "--version"], option => Assert.Contains(option, output, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Version_prints_the_version()
    {
        var (exitCode, output, _) = await RunToExitAsync("--version");

        Assert.Equal(0, exitCode);
        Assert.Matches(@"^\d+\.\d+\.\d+", output.Trim());
    }

    [Fact]
    public async Task Keys_new_prints_a_random_key_its_sha256_and_the_configuration_that_accepts_it()
    {
        var (exitCode, output, _) = await RunToExitAsync("keys", "new", "--scope", "ingest", "--scope", "read", "--name", "web");
        var (_, second, _) = await RunToExitAsync("keys", "new", "--scope", "read");

        Assert.Equal(0, exitCode);
        var key = System.Text.RegularExpressions.Regex.Match(output, @"Key:\s+(\S+)").Groups[1].Value;
        var hash = System.Text.RegularExpressions.Regex.Match(output, @"KeyHash:\s+([0-9a-f]{64})").Groups[1].Value;
        Assert.True(key.Length >= 40, output);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key))), hash);
        Assert.Contains("\"Name\": \"web\"", output, StringComparison.Ordinal);
        Assert.Contains("EventTracker__Auth__Keys__0__Scopes__1=read", output, StringComparison.Ordinal);
        Assert.DoesNotContain(key, second, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--scope", "keys", "new")]
    [InlineData("write", "keys", "new", "--scope", "write")]
    public async Task Keys_new_needs_known_scopes(string named, params string[] args)
    {
        var (exitCode, _, error) = await RunToExitAsync(args);

        Assert.NotEqual(0, exitCode);
        Assert.Contains(named, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--bogus")]
    [InlineData("--port", "abc")]
    [InlineData("--port", "70000")]
    [InlineData("--in-memory", "--data-dir", "x")]
    [InlineData("serve")]
    public async Task Unknown_or_wrong_options_are_refused_naming_them(params string[] args)
    {
        var (exitCode, _, error) = await RunToExitAsync(args);

        Assert.NotEqual(0, exitCode);
        Assert.Contains(args[0], error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Port_and_data_dir_options_start_the_server_and_a_second_server_on_the_same_directory_is_refused()
    {
        using var data = new TemporaryDirectory();
        var port = FreePort();
        using var server = Start("--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--data-dir", data.Path);
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://localhost:{port}") };
            await WaitUntilHealthyAsync(client);
            using (var tracked = await client.PostAsync("/api/events/track/cli", new StringContent("{}")))
            {
                tracked.EnsureSuccessStatusCode();
            }

            Assert.NotEmpty(Directory.GetFiles(data.Path, "*.log"));

            var (exitCode, _, error) = await RunToExitAsync("--port", FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture), "--data-dir", data.Path);

            Assert.Equal(1, exitCode);
            Assert.Contains("in use by another EventTracker server", error, StringComparison.Ordinal);
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task In_memory_leaves_no_data_directory_behind()
    {
        using var workingDirectory = new TemporaryDirectory();
        var port = FreePort();
        using var server = StartIn(workingDirectory.Path, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--in-memory");
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://localhost:{port}") };
            await WaitUntilHealthyAsync(client);
            using var tracked = await client.PostAsync("/api/events/track/cli", new StringContent("{}"));
            tracked.EnsureSuccessStatusCode();

            Assert.Empty(Directory.GetFileSystemEntries(workingDirectory.Path));
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }
    }

    private static Process Start(params string[] args) => StartIn(AppContext.BaseDirectory, args);

    private static Process StartIn(string workingDirectory, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "EventTracker.Server.dll"), .. args])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.Environment.Remove("ASPNETCORE_URLS");
        info.Environment.Remove("PORT");
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        return Process.Start(info)!;
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunToExitAsync(params string[] args)
    {
        using var process = Start(args);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }

    private static async Task WaitUntilHealthyAsync(HttpClient client)
    {
        for (var attempt = 0; attempt < 300; attempt++)
        {
            try
            {
                using var response = await client.GetAsync("/healthz");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        Assert.Fail("The server did not become healthy.");
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
