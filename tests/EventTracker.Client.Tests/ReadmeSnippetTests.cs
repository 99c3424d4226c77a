using System.Diagnostics;
using System.Runtime.Loader;
using System.Text.RegularExpressions;
using EventTracker.Testing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EventTracker.Client.Tests;

/// <summary>
/// Every C# block of the README and of each package's README (what NuGet shows), compiled as the <c>Program.cs</c> of
/// a new web project (its implicit usings, our packages and the ones the README names), so a snippet cannot drift
/// from the API it shows; and every block that is a whole web app is run: it must start and stop with no tracking
/// server there, as a user's first run does.
/// </summary>
public sealed partial class ReadmeSnippetTests
{
    // What `dotnet new web` (Microsoft.NET.Sdk.Web with ImplicitUsings) puts in scope.
    private const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Net.Http.Json;
        global using System.Threading;
        global using System.Threading.Tasks;
        global using Microsoft.AspNetCore.Builder;
        global using Microsoft.AspNetCore.Hosting;
        global using Microsoft.AspNetCore.Http;
        global using Microsoft.AspNetCore.Routing;
        global using Microsoft.Extensions.Configuration;
        global using Microsoft.Extensions.DependencyInjection;
        global using Microsoft.Extensions.Hosting;
        global using Microsoft.Extensions.Logging;
        """;

    public static TheoryData<string, int, string> Snippets
    {
        get
        {
            var data = new TheoryData<string, int, string>();
            var root = RepositoryRoot.Path;
            var readmes = Directory.GetFiles(Path.Combine(root, "src"), "README.md", SearchOption.AllDirectories).Prepend(Path.Combine(root, "README.md"));
            foreach (var path in readmes)
            {
                var readme = File.ReadAllText(path);
                foreach (Match block in CSharpBlock().Matches(readme))
                {
                    data.Add(Path.GetRelativePath(root, path), readme[..block.Index].Count(c => c == '\n') + 1, block.Groups["code"].Value);
                }
            }

            return data;
        }
    }

    [Fact]
    public void The_readmes_have_csharp_blocks_to_check()
    {
        Assert.True(Snippets.Count(snippet => (string)snippet[0] == "README.md") >= 4);
        Assert.Contains(Snippets, snippet => (string)snippet[0] == Path.Combine("src", "EventTracker.Client", "README.md"));
    }

    public static TheoryData<string, int, string> AppSnippets
    {
        get
        {
            var data = new TheoryData<string, int, string>();
            foreach (var snippet in Snippets.Where(s => ((string)s[2]).Contains("WebApplication.CreateBuilder(args)", StringComparison.Ordinal)))
            {
                data.Add((string)snippet[0], (int)snippet[1], (string)snippet[2]);
            }

            return data;
        }
    }

    [Fact]
    public void The_readmes_have_app_blocks_to_run()
    {
        Assert.True(AppSnippets.Count >= 5);
    }

    [Theory]
    [MemberData(nameof(Snippets))]
    public void Each_csharp_block_of_a_readme_builds_as_a_program(string readme, int line, string code)
    {
        var errors = Compile(code).GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()).ToList();

        Assert.True(errors.Count == 0, $"{readme} line {line}:\n{string.Join("\n", errors)}");
    }

    [Theory]
    [MemberData(nameof(AppSnippets))]
    public void Each_web_app_block_of_a_readme_starts_and_stops_without_a_tracking_server(string readme, int line, string code)
    {
        using var image = new MemoryStream();
        var emitted = Compile(code).Emit(image);
        Assert.True(emitted.Success, $"{readme} line {line} does not compile");

        var context = new AssemblyLoadContext($"snippet-{line}", isCollectible: true);
        var entryPoint = context.LoadFromStream(new MemoryStream(image.ToArray())).EntryPoint!;
        var run = new SnippetRun();
        using (DiagnosticListener.AllListeners.Subscribe(run))
        {
            var thread = new Thread(() => run.Main(entryPoint, ["--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning"]));
            thread.Start();
            Assert.True(thread.Join(TimeSpan.FromSeconds(60)), $"{readme} line {line}: the app did not stop");
        }

        context.Unload();
        Assert.True(run.Failure is null, $"{readme} line {line} failed at start: {run.Failure}");
        Assert.True(run.Started, $"{readme} line {line} ended without starting a host");
    }

    private static CSharpCompilation Compile(string code)
    {
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        return CSharpCompilation.Create(
            "ReadmeSnippet",
            [CSharpSyntaxTree.ParseText(code, parse), CSharpSyntaxTree.ParseText(ImplicitUsings, parse)],
            References(),
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));
    }

    // The framework and every assembly this test runs with: the packages above and ours.
    private static IEnumerable<MetadataReference> References() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(path => !Path.GetFileName(path).StartsWith("EventTracker.Client.Tests", StringComparison.Ordinal))
            .Select(path => MetadataReference.CreateFromFile(path));

    [GeneratedRegex("^```csharp\\n(?<code>.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();

    /// <summary>
    /// Runs a snippet's entry point and stops its host as soon as it has started: the host is found through the
    /// hosting diagnostic events (as WebApplicationFactory finds it), only on the thread that runs the snippet.
    /// </summary>
    private sealed class SnippetRun : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>
    {
        [ThreadStatic]
        private static bool s_onSnippetThread;

        public bool Started { get; private set; }

        public Exception? Failure { get; private set; }

        public void Main(System.Reflection.MethodInfo entryPoint, string[] args)
        {
            s_onSnippetThread = true;
            try
            {
                if (entryPoint.Invoke(null, entryPoint.GetParameters().Length == 0 ? null : [args]) is Task task)
                {
                    task.GetAwaiter().GetResult();
                }
            }
            catch (System.Reflection.TargetInvocationException e)
            {
                Failure = e.InnerException;
            }
#pragma warning disable CA1031 // whatever the snippet throws is the test's finding
            catch (Exception e)
#pragma warning restore CA1031
            {
                Failure = e;
            }
        }

        public void OnNext(DiagnosticListener listener)
        {
            if (listener.Name == "Microsoft.Extensions.Hosting")
            {
                listener.Subscribe(this);
            }
        }

        public void OnNext(KeyValuePair<string, object?> hostingEvent)
        {
            if (s_onSnippetThread && hostingEvent is { Key: "HostBuilt", Value: IHost host })
            {
                var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
                lifetime.ApplicationStarted.Register(() =>
                {
                    Started = true;
                    lifetime.StopApplication();
                });
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }
    }
}
