using System.ComponentModel.DataAnnotations;

namespace EventTracker.Server.Access;

/// <summary>API keys (configuration section <c>EventTracker:Auth</c>). With none, the server is open to anyone who reaches it.</summary>
public sealed class AccessOptions : IValidatableObject
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string Section = "EventTracker:Auth";

    /// <summary>The keys the server accepts. Default none: every endpoint is open, as the API guide's snippets expect.</summary>
    public List<ApiKeyOptions> Keys { get; set; } = [];

    /// <summary>Sign-in with bearer tokens from an identity provider; the server is not open while it is configured.</summary>
    public JwtOptions Jwt { get; set; } = new();

    /// <inheritdoc/>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Jwt.IsEnabled && string.IsNullOrWhiteSpace(Jwt.Audience))
        {
            yield return new ValidationResult($"{Section}:Jwt:Audience is required with {Section}:Jwt:Authority.");
        }

        for (var i = 0; i < Keys.Count; i++)
        {
            var key = Keys[i];
            var path = $"{Section}:Keys:{i}";
            if (string.IsNullOrWhiteSpace(key.Name))
            {
                yield return new ValidationResult($"{path}:Name is required.");
            }

            if (string.IsNullOrEmpty(key.Key) == string.IsNullOrEmpty(key.KeyHash))
            {
                yield return new ValidationResult($"{path} needs exactly one of Key and KeyHash.");
            }

            if (key.KeyHash is { Length: > 0 } hash && (hash.Length != 64 || !hash.All(char.IsAsciiHexDigit)))
            {
                yield return new ValidationResult($"{path}:KeyHash must be a SHA-256 hash as 64 hex digits.");
            }

            if (key.Key is { Length: > 0 and < 16 })
            {
                yield return new ValidationResult($"{path}:Key must be at least 16 characters.");
            }

            if (key.Scopes.Count == 0 || key.Scopes.Any(s => !Scopes.All.Contains(s)))
            {
                yield return new ValidationResult($"{path}:Scopes must list one or more of {string.Join(", ", Scopes.All)}.");
            }
        }

        if (Keys.Select(k => k.Name).Distinct(StringComparer.Ordinal).Count() != Keys.Count)
        {
            yield return new ValidationResult($"{Section}:Keys must have distinct names.");
        }
    }
}
