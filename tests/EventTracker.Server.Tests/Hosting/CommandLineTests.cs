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
    [InlineData("--port")]
    [InlineData("--in-memory", "--data-dir", "x")]
    [InlineData("serve")]
    public async Task Unknown_or_wrong_options_are_refused_naming_them_in_a_line_with_the_usage_error_exit_code(params string[] args)
    {
        var (exitCode, output, error) = await RunToExitAsync(args);

        Assert.Equal(2, exitCode);
        Assert.Contains(args[0], error, StringComparison.Ordinal);
        AssertNoStackTrace(output + error);
        Assert.True(Lines(error) <= 3, error);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("0")]
    [InlineData("80000")]
    public async Task An_invalid_PORT_refuses_to_start_instead_of_listening_elsewhere(string port)
    {
        var (exitCode, output, error) = await RunToExitAsync(new Dictionary<string, string> { ["PORT"] = port }, "--in-memory");

        Assert.Equal(2, exitCode);
        Assert.Contains($"PORT must be a number between 1 and 65535, not '{port}'", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Now listening", output, StringComparison.Ordinal);
        AssertNoStackTrace(output + error);
    }

    [Fact]
    public async Task A_port_in_use_is_said_in_one_line_without_a_stack_trace()
    {
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var (exitCode, output, error) = await RunToExitAsync("--port", port, "--in-memory");

        Assert.Equal(1, exitCode);
        Assert.Contains($":{port}: address already in use", error, StringComparison.Ordinal);
        Assert.Contains("--port or PORT", error, StringComparison.Ordinal);
        AssertNoStackTrace(output + error);
        Assert.Equal(1, Lines(error));
    }

    [Fact]
    public async Task Port_and_data_dir_options_start_the_server_and_a_second_server_on_the_same_directory_is_refused()
    {
        using var data = new TemporaryDirectory();
        var port = LoopbackPorts.Free();
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

            var (exitCode, _, error) = await RunToExitAsync("--port", LoopbackPorts.Free().ToString(System.Globalization.CultureInfo.InvariantCulture), "--data-dir", data.Path);

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
        var port = LoopbackPorts.Free();
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

        Assert.Contains("memory only — events are gone when the server stops", await server.StandardOutput.ReadToEndAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_installed_server_writes_no_data_protection_keys_into_the_users_profile_and_does_not_warn_about_them()
    {
        using var home = new TemporaryDirectory();
        var port = LoopbackPorts.Free();
        var environment = new Dictionary<string, string>
        {
            ["HOME"] = home.Path,
            ["Logging__LogLevel__Microsoft.AspNetCore.DataProtection"] = "Information",
        };
        using var server = StartIn(AppContext.BaseDirectory, environment, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--in-memory");
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://localhost:{port}") };
            await WaitUntilHealthyAsync(client);
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }

        var output = await server.StandardOutput.ReadToEndAsync();
        Assert.DoesNotContain("XML encryptor", output, StringComparison.Ordinal);
        Assert.DoesNotContain("DataProtection-Keys", output, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(home.Path));
    }

    private static Process Start(params string[] args) => StartIn(AppContext.BaseDirectory, args);

    private static Process StartIn(string workingDirectory, params string[] args) => StartIn(workingDirectory, new Dictionary<string, string>(), args);

    private static Process StartIn(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args)
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
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        return Process.Start(info)!;
    }

    private static Task<(int ExitCode, string Output, string Error)> RunToExitAsync(params string[] args) =>
        RunToExitAsync(new Dictionary<string, string>(), args);

    private static async Task<(int ExitCode, string Output, string Error)> RunToExitAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        using var process = StartIn(AppContext.BaseDirectory, environment, args);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }

    private static void AssertNoStackTrace(string text)
    {
        Assert.DoesNotContain("Unhandled exception", text, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
    }

    private static int Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;

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
}
