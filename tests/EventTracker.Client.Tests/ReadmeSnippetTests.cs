using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace EventTracker.Client.Tests;

/// <summary>
/// Every C# block of the README and of each package's README (what NuGet shows), compiled as the <c>Program.cs</c> of
/// a new web project (its implicit usings, our packages and the ones the README names), so a snippet cannot drift
/// from the API it shows.
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
            var root = RepositoryRoot();
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

    [Theory]
    [MemberData(nameof(Snippets))]
    public void Each_csharp_block_of_a_readme_builds_as_a_program(string readme, int line, string code)
    {
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var compilation = CSharpCompilation.Create(
            "ReadmeSnippet",
            [CSharpSyntaxTree.ParseText(code, parse), CSharpSyntaxTree.ParseText(ImplicitUsings, parse)],
            References(),
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));

        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()).ToList();

        Assert.True(errors.Count == 0, $"{readme} line {line}:\n{string.Join("\n", errors)}");
    }

    // The framework and every assembly this test runs with: the packages above and ours.
    private static IEnumerable<MetadataReference> References() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(path => !Path.GetFileName(path).StartsWith("EventTracker.Client.Tests", StringComparison.Ordinal))
            .Select(path => MetadataReference.CreateFromFile(path));

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "EventTracker.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("EventTracker.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex("^```csharp\\n(?<code>.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();
}
