using EventTracker.Testing;
using Xunit.Abstractions;

namespace EventTracker.Server.Tests.Postgres;

/// <summary>
/// Two real server processes (<see cref="A"/> and <see cref="B"/>) over one fresh database of a
/// <see cref="PostgresCluster"/>, configured as an operator configures them: only through environment variables.
/// Each listens on its own loopback port; both (and any node added with <see cref="StartNodeAsync"/>) are killed on
/// dispose, and what they logged (warnings and errors) is written to the test's output.
/// </summary>
internal sealed class TwoNodes : IAsyncDisposable
{
    private readonly List<(string Name, ServerProcess Node)> _nodes = [];
    private readonly ITestOutputHelper _output;
    private readonly IReadOnlyDictionary<string, string> _settings;

    private TwoNodes(string connectionString, ITestOutputHelper output, IReadOnlyDictionary<string, string>? settings)
    {
        ConnectionString = connectionString;
        _output = output;
        _settings = settings ?? new Dictionary<string, string>();
    }

    /// <summary>The npgsql connection string of the database the nodes share.</summary>
    public string ConnectionString { get; }

    public ServerProcess A => _nodes[0].Node;

    public ServerProcess B => _nodes[1].Node;

    /// <summary>Starts A and B together over a new database: both migrate it at once, as a rolling start does.</summary>
    /// <param name="cluster">The cluster that gets the new database.</param>
    /// <param name="output">Where the nodes' logs go at the end.</param>
    /// <param name="settings">More environment variables, the same for every node (as one deployment's configuration).</param>
    public static async Task<TwoNodes> StartAsync(PostgresCluster cluster, ITestOutputHelper output, IReadOnlyDictionary<string, string>? settings = null)
    {
        var nodes = new TwoNodes(cluster.CreateDatabase(), output, settings);
        var starting = new[] { ServerProcess.StartAsync(nodes.Environment()), ServerProcess.StartAsync(nodes.Environment()) };
        try
        {
            await Task.WhenAll(starting);
        }
        catch
        {
            foreach (var started in starting.Where(s => s.IsCompletedSuccessfully))
            {
                await started.Result.DisposeAsync();
            }

            throw;
        }

        nodes._nodes.Add(("A", starting[0].Result));
        nodes._nodes.Add(("B", starting[1].Result));
        return nodes;
    }

    /// <summary>Starts one more node over the same database; it is disposed with the others.</summary>
    public async Task<ServerProcess> StartNodeAsync(string name)
    {
        var node = await ServerProcess.StartAsync(Environment());
        _nodes.Add((name, node));
        return node;
    }

    /// <summary>A client of one node that never times out by itself, for streams (the caller bounds its waits).</summary>
    public static HttpClient StreamClient(ServerProcess node) => new() { BaseAddress = node.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };

    public async ValueTask DisposeAsync()
    {
        foreach (var (name, node) in _nodes)
        {
            await node.DisposeAsync();
            // Less the one warning every test process gives (it runs beside no wwwroot).
            var logged = node.Output.Replace(
                $"warn: Microsoft.AspNetCore.StaticFiles.StaticFileMiddleware[16]{System.Environment.NewLine}      The WebRootPath was not found: {Path.Combine(AppContext.BaseDirectory, "wwwroot")}. Static files may be unavailable.{System.Environment.NewLine}",
                string.Empty,
                StringComparison.Ordinal);
            if (logged.Length > 0)
            {
                _output.WriteLine($"--- node {name} (port {node.Port}) logged:{System.Environment.NewLine}{(logged.Length > 8000 ? "…" + logged[^8000..] : logged)}");
            }
        }
    }

    private Dictionary<string, string> Environment() => new(_settings)
    {
        ["EventTracker__Store__Provider"] = "PostgreSQL",
        ["ConnectionStrings__EventTracker"] = ConnectionString,
    };
}
