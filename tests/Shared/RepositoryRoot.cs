namespace EventTracker.Testing;

/// <summary>The repository the tests run from: the nearest folder above the test's output that holds EventTracker.sln.</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(System.IO.Path.Combine(directory.FullName, "EventTracker.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("EventTracker.sln not found above " + AppContext.BaseDirectory);
    }
}
