using System.Diagnostics;

namespace EventTracker.Server.Tests.Storage;

/// <summary>A tiny tmpfs mounted for one test, so the disk can really fill up. Needs root, as CI has.</summary>
internal sealed class SmallDisk : IDisposable
{
    private SmallDisk(string path) => Path = path;

    public string Path { get; }

    public static SmallDisk Mount(string parent, int kilobytes)
    {
        var path = System.IO.Path.Combine(parent, "small-disk");
        Directory.CreateDirectory(path);
        Run("mount", "-t", "tmpfs", "-o", $"size={kilobytes}k", "tmpfs", path);
        return new SmallDisk(path);
    }

    /// <summary>Writes <paramref name="file"/> until the disk has no space left.</summary>
    public static void FillUp(string file)
    {
        using var stream = File.OpenWrite(file);
        var chunk = new byte[4096];
        try
        {
            while (true)
            {
                stream.Write(chunk);
                stream.Flush();
            }
        }
        catch (IOException)
        {
        }
    }

    public void Dispose() => Run("umount", "-l", Path);

    private static void Run(string command, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(command, arguments) { RedirectStandardError = true })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{command} failed (the disk-full test mounts a tmpfs and needs root): {error}");
    }
}
