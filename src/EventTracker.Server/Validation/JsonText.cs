using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace EventTracker.Server.Validation;

/// <summary>
/// Checks a JSON document before anything reads it: well-formed, and every string and property name valid Unicode —
/// UTF-8 without invalid bytes, and <c>\u</c> escapes that form whole surrogate pairs. Text is never rewritten with
/// U+FFFD: a bad string is refused, naming where it is (<c>metadata.note</c>, <c>events[2].payload.userId</c>).
/// </summary>
internal static class JsonText
{
    private const int MaxDepth = 64;

    /// <summary>
    /// True when <paramref name="json"/> is acceptable; otherwise one error is added and false returned. Problems with the
    /// document as a whole are reported under <paramref name="root"/>.
    /// </summary>
    public static bool Validate(ReadOnlySpan<byte> json, ValidationErrors errors, string root = "body")
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = MaxDepth });
        var path = new List<Segment>();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        if (!IsValidText(ref reader, out var name))
                        {
                            return Refuse(errors, Format(path, "(a property name)", root), "Property names must be valid Unicode text.");
                        }

                        path[^1] = path[^1] with { Name = name };
                        break;
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        Advance(path);
                        path.Add(new Segment(reader.TokenType == JsonTokenType.StartArray, -1, null));
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        path.RemoveAt(path.Count - 1);
                        break;
                    case JsonTokenType.String:
                        Advance(path);
                        if (!IsValidText(ref reader, out _))
                        {
                            return Refuse(errors, Format(path, null, root), "Must be valid Unicode text (UTF-8, no unpaired surrogates).");
                        }

                        break;
                    default:
                        Advance(path);
                        break;
                }
            }

            return true;
        }
        catch (JsonException e)
        {
            var reason = e.Message.Contains("depth", StringComparison.OrdinalIgnoreCase)
                ? $"Nested deeper than {MaxDepth} levels"
                : "Malformed JSON";
            return Refuse(errors, root, $"{reason} at line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}.");
        }
    }

    private static bool IsValidText(ref Utf8JsonReader reader, out string? text)
    {
        text = null;
        if (!reader.ValueIsEscaped)
        {
            if (!Utf8.IsValid(reader.ValueSpan))
            {
                return false;
            }

            text = reader.ValueSpan.Length <= 200 ? Encoding.UTF8.GetString(reader.ValueSpan) : null;
            return true;
        }

        try
        {
            text = reader.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    // A value inside an array moves the array to its next index.
    private static void Advance(List<Segment> path)
    {
        if (path.Count > 0 && path[^1].IsArray)
        {
            path[^1] = path[^1] with { Index = path[^1].Index + 1 };
        }
    }

    private static string Format(List<Segment> path, string? last, string root)
    {
        var builder = new StringBuilder();
        foreach (var segment in path)
        {
            if (segment.IsArray)
            {
                builder.Append('[').Append(segment.Index).Append(']');
            }
            else if (segment.Name is { } name)
            {
                builder.Append(builder.Length > 0 ? "." : string.Empty).Append(name);
            }
        }

        if (last is not null)
        {
            builder.Append(builder.Length > 0 ? "." : string.Empty).Append(last);
        }

        return builder.Length > 0 ? builder.ToString() : root;
    }

    private static bool Refuse(ValidationErrors errors, string field, string message)
    {
        errors.Add(field, message);
        return false;
    }

    private readonly record struct Segment(bool IsArray, int Index, string? Name);
}
