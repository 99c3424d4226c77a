using System.CommandLine;
using System.Security.Cryptography;
using EventTracker.Server.Access;

namespace EventTracker.Server.Hosting;

/// <summary><c>eventtracker-server keys new --scope ingest</c>: a new random API key and its SHA-256, ready for <c>EventTracker:Auth:Keys</c>.</summary>
internal static class KeysCommand
{
    private const int KeyBytes = 32;

    public static Command Create()
    {
        var scope = new Option<string[]>("--scope")
        {
            Description = $"What the key may do: {string.Join(", ", Scopes.All)} (repeat for several).",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
        };
        scope.AcceptOnlyFromAmong(Scopes.All);
        var name = new Option<string?>("--name") { Description = "A name for the key (default: the scopes and a date)." };
        var create = new Command("new", "Print a new random API key, its SHA-256 hash and the configuration that accepts it.") { scope, name };
        create.SetAction(parsed =>
        {
            var scopes = parsed.GetRequiredValue(scope).Distinct(StringComparer.Ordinal).ToArray();
            var keyName = parsed.GetValue(name) ?? $"{string.Join("-", scopes)}-{DateTime.UtcNow:yyyyMMdd}";
            var key = "et_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(KeyBytes)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            var hash = Convert.ToHexStringLower(ApiKeyRegistry.Hash(key));
            var output = parsed.InvocationConfiguration.Output;
            output.WriteLine($"Key:     {key}");
            output.WriteLine($"KeyHash: {hash}");
            output.WriteLine();
            output.WriteLine("Give the key to its user; configure the server with the hash only, in appsettings.json:");
            output.WriteLine($$"""  { "EventTracker": { "Auth": { "Keys": [ { "Name": "{{keyName}}", "KeyHash": "{{hash}}", "Scopes": [{{string.Join(", ", scopes.Select(s => $"\"{s}\""))}}] } ] } } }""");
            output.WriteLine("or as environment variables (the next free index instead of 0 when there are other keys):");
            output.WriteLine($"  EventTracker__Auth__Keys__0__Name={keyName}");
            output.WriteLine($"  EventTracker__Auth__Keys__0__KeyHash={hash}");
            for (var i = 0; i < scopes.Length; i++)
            {
                output.WriteLine($"  EventTracker__Auth__Keys__0__Scopes__{i}={scopes[i]}");
            }

            return 0;
        });
        return new Command("keys", "API keys.") { create };
    }
}
