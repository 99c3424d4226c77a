using System.Diagnostics;
using EventTracker.Testing;

namespace EventTracker.Contracts.Tests;

/// <summary>
/// The public API files are a gate, not a record: a copy of the Contracts project with one public type added and
/// not recorded in its PublicAPI files is built as a developer would build it, and the build fails naming the type.
/// </summary>
public sealed class PublicApiTests : IDisposable
{
    private readonly string _copy = Directory.CreateTempSubdirectory("eventtracker-publicapi-").FullName;

    [Fact]
    public async Task A_public_member_missing_from_the_api_files_fails_the_build_naming_it()
    {
        var root = RepositoryRoot.Path;
        foreach (var file in new[] { "Directory.Build.props", "Directory.Packages.props", "global.json", "nuget.config", ".editorconfig" })
        {
            File.Copy(Path.Combine(root, file), Path.Combine(_copy, file));
        }

        CopyDirectory(Path.Combine(root, "src", "Shared"), Path.Combine(_copy, "src", "Shared"));
        var project = Path.Combine(_copy, "src", "EventTracker.Contracts");
        CopyDirectory(Path.Combine(root, "src", "EventTracker.Contracts"), project);
        await File.WriteAllTextAsync(Path.Combine(project, "AddedWithoutRecording.cs"), """
            namespace EventTracker.Contracts;

            /// <summary>Public, but in no PublicAPI file.</summary>
            public static class AddedWithoutRecording
            {
                /// <summary>Anything.</summary>
                public static int Answer => 42;
            }
            """);

        var (exitCode, output) = await RunAsync("dotnet", $"build \"{project}\" -f net10.0 --nologo -v q --disable-build-servers", _copy);

        Assert.NotEqual(0, exitCode);
        var errors = output.Split('\n').Where(line => line.Contains(": error ", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(errors);
        Assert.All(errors, error => Assert.Contains("RS0016", error, StringComparison.Ordinal)); // nothing else is wrong with the copy
        Assert.Contains(errors, error => error.Contains("EventTracker.Contracts.AddedWithoutRecording.Answer.get", StringComparison.Ordinal));
    }

    public void Dispose() => Directory.Delete(_copy, recursive: true);

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (relative.Split(Path.DirectorySeparatorChar)[0] is "bin" or "obj")
            {
                continue;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(to, relative))!);
            File.Copy(file, Path.Combine(to, relative));
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string command, string arguments, string directory)
    {
        var start = new ProcessStartInfo(command, arguments)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1"; // no build server left running after the test
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await errors);
    }
}
