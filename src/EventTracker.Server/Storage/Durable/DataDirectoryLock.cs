namespace EventTracker.Server.Storage.Durable;

/// <summary>
/// Holds a data directory for one server: an exclusive lock on its <c>.lock</c> file for as long as the store is open,
/// so a second server started over the same directory is refused instead of corrupting the log.
/// </summary>
internal sealed class DataDirectoryLock : IDisposable
{
    private const string FileName = ".lock";

    private readonly FileStream _file;

    private DataDirectoryLock(FileStream file) => _file = file;

    /// <exception cref="DataDirectoryInUseException">Another process holds the directory.</exception>
    public static DataDirectoryLock Acquire(string directory)
    {
        var path = Path.Combine(directory, FileName);
        try
        {
            // FileShare.None takes an exclusive advisory lock (flock) on Unix and a sharing lock on Windows.
            return new DataDirectoryLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException e)
        {
            throw new DataDirectoryInUseException(
                $"The data directory '{directory}' is in use by another EventTracker server. Stop that server, or give this one its own directory with --data-dir.", e);
        }
    }

    public void Dispose() => _file.Dispose();
}
