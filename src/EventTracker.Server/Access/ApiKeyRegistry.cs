using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace EventTracker.Server.Access;

/// <summary>The configured API keys, found by the SHA-256 of a presented key and compared in constant time.</summary>
internal sealed class ApiKeyRegistry
{
    private readonly List<ApiKey> _keys;
    private readonly bool _tokens;

    public ApiKeyRegistry(IOptions<AccessOptions> options)
    {
        _tokens = options.Value.Jwt.IsEnabled;
        _keys = options.Value.Keys.Select(k => new ApiKey(
            k.Name,
            k.KeyHash is { Length: > 0 } hash ? Convert.FromHexString(hash) : Hash(k.Key!),
            k.Scopes.ToHashSet(StringComparer.Ordinal),
            k.AllowedOrigins.Select(o => o.TrimEnd('/')).ToHashSet(StringComparer.OrdinalIgnoreCase))).ToList();
    }

    /// <summary>Neither keys nor token sign-in are configured: every endpoint is open.</summary>
    public bool IsOpen => _keys.Count == 0 && !_tokens;

    /// <summary>The key matching <paramref name="presented"/>; every configured key is compared, so timing says nothing.</summary>
    public ApiKey? Find(string presented)
    {
        var hash = Hash(presented);
        ApiKey? found = null;
        foreach (var key in _keys)
        {
            if (CryptographicOperations.FixedTimeEquals(key.Hash, hash))
            {
                found = key;
            }
        }

        return found;
    }

    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
