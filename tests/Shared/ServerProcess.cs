using System.Diagnostics;
using System.Net;

namespace EventTracker.Testing;

/// <summary>
/// The real server as a user runs it: its own process, Kestrel, configured only through environment
/// variables such as <c>PORT</c>. Bound to localhost on a free port, with its data directory in a new temporary
/// directory unless one is given (or <c>EventTracker__Store__DataDirectory</c> is set); killed on dispose, which
/// also deletes a temporary data directory.
/// Shared by the end-to-end tests and the load harness.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly bool _ownsDataDirectory;

    private ServerProcess(Process process, int port, string? dataDirectory, bool ownsDataDirectory)
    {
        _process = process;
        _ownsDataDirectory = ownsDataDirectory;
        Port = port;
        DataDirectory = dataDirectory;
        BaseAddress = new Uri($"http://localhost:{port}");
    }

    /// <summary>Where the server keeps its events; null when it runs in memory only.</summary>
    public string? DataDirectory { get; }

    /// <summary>The server's standard output and error so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    private readonly System.Text.StringBuilder _output = new();

    public int Port { get; }

    /// <summary>The server's process id.</summary>
    public int ProcessId => _process.Id;

    public Uri BaseAddress { get; }

    /// <summary>CPU time the server process has used so far.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <param name="environment">Environment variables for the server.</param>
    /// <param name="dataDirectory">The data directory to use (and keep); null for a new temporary one.</param>
    /// <param name="port">The port; 0 picks a free one.</param>
    /// <param name="cpus">The CPUs to pin the server to, as <c>taskset -c</c> takes them (<c>0</c>, <c>0-3</c>); null for all.</param>
    public static async Task<ServerProcess> StartAsync(
        IReadOnlyDictionary<string, string>? environment = null, string? dataDirectory = null, int port = 0, string? cpus = null)
    {
        port = port == 0 ? LoopbackPorts.Free() : port;
        const string DataDirectoryVariable = "EventTracker__Store__DataDirectory";
        var ownsDataDirectory = dataDirectory is null && environment?.ContainsKey(DataDirectoryVariable) != true;
        if (ownsDataDirectory)
        {
            dataDirectory = Directory.CreateTempSubdirectory("eventtracker-test-").FullName;
        }
        var info = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "EventTracker.Server.dll")])
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        PinTo(info, cpus);
        info.Environment["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment.Remove("ASPNETCORE_URLS");
        if (dataDirectory is not null)
        {
            info.Environment[DataDirectoryVariable] = dataDirectory;
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var process = Process.Start(info)!;
        var server = new ServerProcess(process, port, environment?.GetValueOrDefault(DataDirectoryVariable) ?? dataDirectory, ownsDataDirectory);
        process.OutputDataReceived += (_, e) => server.Record(e.Data);
        process.ErrorDataReceived += (_, e) => server.Record(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await server.WaitUntilHealthyAsync();
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>
    /// Starts <paramref name="info"/> under <c>taskset -c <paramref name="cpus"/></c> when given: from its first
    /// instruction, so the runtime sizes its thread pool and GC to those CPUs. taskset execs the program: same pid.
    /// </summary>
    public static void PinTo(ProcessStartInfo info, string? cpus)
    {
        if (cpus is null)
        {
            return;
        }

        var arguments = info.ArgumentList.ToList();
        info.ArgumentList.Clear();
        foreach (var argument in (string[])["-c", cpus, info.FileName, .. arguments])
        {
            info.ArgumentList.Add(argument);
        }

        info.FileName = "taskset";
    }

    /// <summary>The memory the server process holds now, as the system counts it.</summary>
    public long ResidentBytes
    {
        get
        {
            _process.Refresh();
            return _process.WorkingSet64;
        }
    }

    public HttpClient CreateClient() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>Asks the server to stop (SIGTERM, as a service manager or container runtime does) and waits for it to exit.</summary>
    /// <returns>Whether it exited within <paramref name="timeout"/>.</returns>
    public async Task<bool> TerminateAsync(TimeSpan timeout)
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var wait = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(wait.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Kills the server at once (SIGKILL, as <c>kill -9</c> does): nothing of it runs after this.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
        if (_ownsDataDirectory && DataDirectory is not null)
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }

    private void Record(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    private async Task WaitUntilHealthyAsync()
    {
        using var client = CreateClient();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The server exited with code {_process.ExitCode}:{Environment.NewLine}{Output}");
            }

            try
            {
                using var response = await client.GetAsync("/healthz");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("The server did not become healthy within 30 seconds.");
    }
}
