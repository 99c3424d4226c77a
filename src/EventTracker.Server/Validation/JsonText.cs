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
    private const int MaxNamedLength = 200;

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
                        if (!IsValidText(ref reader))
                        {
                            return Refuse(errors, Format(json, path, "(a property name)", root), "Property names must be valid Unicode text.");
                        }

                        // Where the name is, quotes included: it is only decoded if a problem has to be named.
                        path[^1] = path[^1] with { NameStart = (int)reader.TokenStartIndex, NameLength = reader.ValueSpan.Length + 2, NameEscaped = reader.ValueIsEscaped };
                        break;
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        Advance(path);
                        path.Add(new Segment(reader.TokenType == JsonTokenType.StartArray, -1, 0, 0, false));
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        path.RemoveAt(path.Count - 1);
                        break;
                    case JsonTokenType.String:
                        Advance(path);
                        if (!IsValidText(ref reader))
                        {
                            return Refuse(errors, Format(json, path, null, root), "Must be valid Unicode text (UTF-8, no unpaired surrogates).");
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
            // "Expected depth to be zero at the end" is a document cut short, not one nested too deep.
            var reason = e.Message.Contains("maximum configured depth", StringComparison.OrdinalIgnoreCase)
                ? $"Nested deeper than {MaxDepth} levels"
                : "Malformed JSON";
            return Refuse(errors, root, $"{reason} at line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}.");
        }
    }

    private static bool IsValidText(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
        {
            return Utf8.IsValid(reader.ValueSpan);
        }

        try
        {
            reader.GetString();
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

    private static string Format(ReadOnlySpan<byte> json, List<Segment> path, string? last, string root)
    {
        var builder = new StringBuilder();
        foreach (var segment in path)
        {
            if (segment.IsArray)
            {
                builder.Append('[').Append(segment.Index).Append(']');
            }
            else if (NameOf(json, segment) is { } name)
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

    // Plain names of up to 200 bytes are shown; longer ones would not help anyone find the field.
    private static string? NameOf(ReadOnlySpan<byte> json, Segment segment)
    {
        if (segment.NameLength == 0 || (!segment.NameEscaped && segment.NameLength > MaxNamedLength + 2))
        {
            return null;
        }

        var reader = new Utf8JsonReader(json.Slice(segment.NameStart, segment.NameLength));
        reader.Read();
        return reader.GetString();
    }

    private static bool Refuse(ValidationErrors errors, string field, string message)
    {
        errors.Add(field, message);
        return false;
    }

    private readonly record struct Segment(bool IsArray, int Index, int NameStart, int NameLength, bool NameEscaped);
}
