namespace EventTracker.Server.Tests;

/// <summary>A new directory under the system's temporary directory, deleted with everything in it on dispose.</summary>
public sealed class TemporaryDirectory : IDisposable
{
    public TemporaryDirectory() => Path = Directory.CreateTempSubdirectory("eventtracker-test-").FullName;

    public string Path { get; }

    /// <summary>Server settings that keep the event log in this directory.</summary>
    public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["EventTracker:Store:DataDirectory"] = Path };

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
