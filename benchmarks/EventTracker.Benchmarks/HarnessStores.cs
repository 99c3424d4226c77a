using EventTracker.Testing;

namespace EventTracker.Benchmarks;

/// <summary>
/// The stores the load harness runs the server on, side by side in one run: the embedded store on its durable default
/// (<c>Sync</c>), the embedded store in memory only, and PostgreSQL (a throwaway cluster on a free port with
/// <c>fsync</c> on, as a production database commits; a new database for each server), when its binaries are installed.
/// <c>HARNESS_STORES</c> (a comma-separated choice of <c>durable</c>, <c>memory</c>, <c>postgres</c>) narrows the choice.
/// </summary>
internal sealed class HarnessStores : IDisposable
{
    private PostgresCluster? _cluster;

    private HarnessStores(IReadOnlyList<string> names) => Names = names;

    /// <summary>The stores chosen, in the order they run: <c>durable</c>, <c>memory</c>, <c>postgres</c>.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The stores chosen by <c>HARNESS_STORES</c>, or all that can run here.</summary>
    /// <exception cref="ArgumentException"><c>HARNESS_STORES</c> names a store that does not exist.</exception>
    public static HarnessStores FromEnvironment()
    {
        string[] all = ["durable", "memory", "postgres"];
        var chosen = System.Environment.GetEnvironmentVariable("HARNESS_STORES") is { Length: > 0 } list
            ? list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            : all.Where(name => name != "postgres" || PostgresInstalled()).ToArray();
        if (chosen.FirstOrDefault(name => !all.Contains(name)) is { } unknown)
        {
            throw new ArgumentException($"HARNESS_STORES: no store is called '{unknown}' (durable, memory, postgres).");
        }

        return new HarnessStores(chosen);
    }

    /// <summary>How the harness names <paramref name="store"/> in what it prints.</summary>
    public static string Label(string store) => store switch
    {
        "durable" => "durable (Sync)",
        "memory" => "memory only",
        _ => "PostgreSQL",
    };

    /// <summary>
    /// <paramref name="common"/> with what runs the server on <paramref name="store"/>; for PostgreSQL, on a new, empty
    /// database (the cluster starts the first time).
    /// </summary>
    public Dictionary<string, string> Environment(string store, IReadOnlyDictionary<string, string>? common = null)
    {
        var environment = new Dictionary<string, string>(common ?? new Dictionary<string, string>());
        switch (store)
        {
            case "memory":
                environment["EventTracker__Store__DataDirectory"] = string.Empty;
                break;
            case "postgres":
                _cluster ??= new PostgresCluster(fsync: true);
                foreach (var (key, value) in PostgresScaleOut.NodeEnvironment(_cluster.CreateDatabase()))
                {
                    environment[key] = value;
                }

                break;
        }

        return environment;
    }

    public void Dispose() => _cluster?.Dispose();

    private static bool PostgresInstalled() =>
        Directory.Exists("/usr/lib/postgresql")
        && Directory.GetDirectories("/usr/lib/postgresql").Any(version => File.Exists(Path.Combine(version, "bin", "pg_ctl")));
}
