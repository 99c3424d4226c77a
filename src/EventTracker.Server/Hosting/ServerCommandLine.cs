using System.CommandLine;
using EventTracker.Server.Storage;

namespace EventTracker.Server.Hosting;

/// <summary>
/// The server's command line: <c>--port</c>, <c>--urls</c>, <c>--store</c>, <c>--data-dir</c>, <c>--in-memory</c>, <c>--help</c>,
/// <c>--version</c> and <c>keys new</c>; anything else is refused with the usage, except configuration written as <c>--Key=value</c>
/// (<c>--EventTracker:Store:Capacity=5000</c>, <c>--environment=Production</c>), which passes through to the host's
/// configuration as it always did, as do environment variables.
/// </summary>
internal static class ServerCommandLine
{
    /// <summary>The exit code of a command line or setting that cannot be used (as shells use 2 for a misused command).</summary>
    public const int UsageError = 2;

    private static readonly string[] OwnOptions = ["port", "urls", "store", "data-dir", "in-memory", "help", "version"];

    /// <summary>
    /// Parses <paramref name="args"/> and, unless they ask for help or the version or are wrong, runs
    /// <paramref name="runServer"/> with the host's arguments and the settings the options stand for. Returns the exit code.
    /// </summary>
    public static int Run(string[] args, Func<string[], IReadOnlyDictionary<string, string?>, int> runServer)
    {
        var hostArgs = args.Where(IsConfigurationKey).ToArray();
        var port = new Option<int?>("--port")
        {
            Description = $"The port to listen on at localhost (default: the PORT environment variable, else {ListenPort.Default}).",
            CustomParser = result =>
            {
                var text = result.Tokens is [var token] ? token.Value : null;
                if (ListenPort.TryParse(text, out var value))
                {
                    return value;
                }

                result.AddError(ListenPort.Problem("--port", text));
                return null;
            },
        };
        var urls = new Option<string?>("--urls") { Description = "Addresses to listen on instead, such as http://0.0.0.0:3000 (semicolon-separated)." };
        var dataDirectory = new Option<string?>("--data-dir")
        {
            Description = $"Where events are kept on disk (default: {EventStoreOptions.DefaultDataDirectory} in the working directory).",
        };
        var inMemory = new Option<bool>("--in-memory") { Description = "Keep events in memory only; they are gone when the server stops." };
        var store = new Option<StoreProvider?>("--store")
        {
            Description = "Where events are kept: Embedded (default: a log in the data directory), Memory, or PostgreSQL "
                + $"(the database named by ConnectionStrings:{EventStoreOptions.ConnectionStringName}, e.g. the environment variable "
                + $"ConnectionStrings__{EventStoreOptions.ConnectionStringName}=\"Host=localhost;Database=eventtracker\"; several servers can share it).",
        };
        var root = new RootCommand("EventTracker server: event ingestion, queries, analytics, suggestions and live streams over HTTP, SSE and WebSocket.")
        {
            port, urls, store, dataDirectory, inMemory,
        };
        root.Subcommands.Add(KeysCommand.Create());
        root.Validators.Add(result =>
        {
            if (result.GetValue(inMemory) && result.GetValue(dataDirectory) is not null)
            {
                result.AddError("--data-dir and --in-memory cannot be used together.");
            }
        });
        root.SetAction(parsed =>
        {
            var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            if (parsed.GetValue(port) is { } p)
            {
                settings["PORT"] = p.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            if (parsed.GetValue(urls) is { } u)
            {
                settings["urls"] = u;
            }

            if (parsed.GetValue(dataDirectory) is { } directory)
            {
                settings[$"{EventStoreOptions.Section}:{nameof(EventStoreOptions.DataDirectory)}"] = directory;
            }

            if (parsed.GetValue(store) is { } provider)
            {
                settings[$"{EventStoreOptions.Section}:{nameof(EventStoreOptions.Provider)}"] = provider.ToString();
            }

            if (parsed.GetValue(inMemory))
            {
                settings[$"{EventStoreOptions.Section}:{nameof(EventStoreOptions.DataDirectory)}"] = string.Empty;
            }

            return runServer(hostArgs, settings);
        });

        var parsed = root.Parse(args.Where(a => !IsConfigurationKey(a)).ToArray());
        if (parsed.Errors.Count > 0)
        {
            // One line per mistake, not the whole usage: the mistake is what the operator needs to see.
            foreach (var error in parsed.Errors)
            {
                Console.Error.WriteLine(error.Message);
            }

            Console.Error.WriteLine("Run with --help to see the options.");
            return UsageError;
        }

        // Exceptions from the server are its own to report; the test host also stops the program by throwing one.
        return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
    }

    /// <summary>A <c>--Key=value</c> configuration argument that is not one of the options above.</summary>
    private static bool IsConfigurationKey(string argument)
    {
        var equals = argument.IndexOf('=', StringComparison.Ordinal);
        return argument.StartsWith("--", StringComparison.Ordinal) && equals >= 3 && !OwnOptions.Contains(argument[2..equals], StringComparer.OrdinalIgnoreCase);
    }
}
