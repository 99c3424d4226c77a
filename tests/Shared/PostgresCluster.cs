using System.Diagnostics;
using Npgsql;

namespace EventTracker.Testing;

/// <summary>
/// A throwaway PostgreSQL cluster for the tests: <c>initdb</c> into a temporary directory, <c>pg_ctl</c> on a free
/// loopback port with its socket in that directory, trust authentication, stopped and deleted on dispose. When the
/// tests run as root (as CI does), the server runs as the <c>postgres</c> user, which it insists on. Each test asks
/// for a database of its own. Shared by the tests (without fsync, for speed) and the scale-out benchmark (with it).
/// </summary>
public sealed class PostgresCluster : IDisposable
{
    private readonly string _directory;
    private readonly string _binaries;
    private readonly bool _asPostgresUser;
    private readonly bool _fsync;
    private int _databases;

    /// <summary>A cluster for the tests: commits do not wait for the disk.</summary>
    public PostgresCluster()
        : this(fsync: false)
    {
    }

    /// <param name="fsync">Whether commits wait for the disk, as a production server's do.</param>
    internal PostgresCluster(bool fsync)
    {
        _fsync = fsync;
        _binaries = FindBinaries();
        _asPostgresUser = Environment.UserName == "root";
        _directory = Directory.CreateTempSubdirectory("eventtracker-pg-").FullName;
        if (_asPostgresUser)
        {
            Run("chown", $"postgres \"{_directory}\"", asPostgresUser: false);
        }

        Port = LoopbackPorts.Free();
        Run(Path.Combine(_binaries, "initdb"), $"-D \"{DataDirectory}\" -A trust -U postgres --no-sync -E UTF8", _asPostgresUser);
        Start();
    }

    /// <summary>The port the server listens on at 127.0.0.1.</summary>
    public int Port { get; }

    private string DataDirectory => Path.Combine(_directory, "data");

    /// <summary>A connection string to the maintenance database.</summary>
    public string AdminConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Pooling=false";

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public string CreateDatabase()
    {
        var name = $"eventtracker_{Environment.ProcessId}_{Interlocked.Increment(ref _databases)}";
        using var connection = new NpgsqlConnection(AdminConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        command.ExecuteNonQuery();
        return $"Host=127.0.0.1;Port={Port};Username=postgres;Database={name}";
    }

    /// <summary>Starts the server (again), waiting until it accepts connections.</summary>
    public void Start() =>
        Run(Path.Combine(_binaries, "pg_ctl"),
            $"-D \"{DataDirectory}\" -l \"{Path.Combine(_directory, "server.log")}\" -w -t 60 "
            + $"-o \"-p {Port} -k {_directory} -c listen_addresses=127.0.0.1 -c fsync={(_fsync ? "on" : "off")} -c max_connections=300\" start",
            _asPostgresUser);

    /// <summary>Stops the server at once (as a crash would: no checkpoint), waiting until it is down.</summary>
    public void Stop() => Run(Path.Combine(_binaries, "pg_ctl"), $"-D \"{DataDirectory}\" -m immediate -w stop", _asPostgresUser);

    public void Dispose()
    {
        try
        {
            Stop();
        }
        finally
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static string FindBinaries()
    {
        var root = "/usr/lib/postgresql";
        var found = Directory.Exists(root)
            ? Directory.GetDirectories(root).Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "pg_ctl"))).Order().LastOrDefault()
            : null;
        return found ?? throw new InvalidOperationException(
            "The PostgreSQL tests need the server binaries under /usr/lib/postgresql/<version>/bin: install the postgresql package (.ci/run does).");
    }

    private static void Run(string program, string arguments, bool asPostgresUser)
    {
        var start = asPostgresUser
            ? new ProcessStartInfo("runuser", $"-u postgres -- {program} {arguments}")
            : new ProcessStartInfo(program, arguments);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(90)))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{program} did not finish within 90 s.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {arguments} failed ({process.ExitCode}): {output.Result}{error.Result}");
        }
    }
}
