using System.Globalization;
using System.Text;
using System.Text.Json;

namespace EventTracker.Server.Ai;

/// <summary>Writes feature rows as NDJSON (one object per line) or CSV (a header, then one line per row), flushing as it goes.</summary>
internal static class FeatureWriter
{
    private const int FlushEvery = 1_000;

    public static async Task WriteNdjsonAsync(Stream body, IAsyncEnumerable<object?[]> rows, CancellationToken cancellationToken)
    {
        var names = FeatureExport.Columns.Select(c => JsonEncodedText.Encode(c)).ToArray();
        using var buffer = new MemoryStream();
        await using var writer = new Utf8JsonWriter(buffer);
        var written = 0;
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            writer.WriteStartObject();
            for (var i = 0; i < row.Length; i++)
            {
                writer.WritePropertyName(names[i]);
                WriteValue(writer, row[i]);
            }

            writer.WriteEndObject();
            writer.Flush();
            buffer.WriteByte((byte)'\n');
            writer.Reset();
            if (++written % FlushEvery == 0)
            {
                await DrainAsync(buffer, body, cancellationToken);
            }
        }

        await DrainAsync(buffer, body, cancellationToken);
    }

    public static async Task WriteCsvAsync(Stream body, IAsyncEnumerable<object?[]> rows, CancellationToken cancellationToken)
    {
        var line = new StringBuilder();
        var text = new StringBuilder(string.Join(",", FeatureExport.Columns)).Append('\n');
        var written = 0;
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            line.Clear();
            for (var i = 0; i < row.Length; i++)
            {
                if (i > 0)
                {
                    line.Append(',');
                }

                line.Append(Csv(row[i]));
            }

            text.Append(line).Append('\n');
            if (++written % FlushEvery == 0)
            {
                await body.WriteAsync(Encoding.UTF8.GetBytes(text.ToString()), cancellationToken);
                text.Clear();
            }
        }

        await body.WriteAsync(Encoding.UTF8.GetBytes(text.ToString()), cancellationToken);
    }

    private static async Task DrainAsync(MemoryStream buffer, Stream body, CancellationToken cancellationToken)
    {
        await body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), cancellationToken);
        buffer.SetLength(0);
    }

    private static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null: writer.WriteNullValue(); break;
            case string s: writer.WriteStringValue(s); break;
            case bool b: writer.WriteBooleanValue(b); break;
            case int n: writer.WriteNumberValue(n); break;
            case long n: writer.WriteNumberValue(n); break;
            case double d: writer.WriteNumberValue(d); break;
            default: writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture)); break;
        }
    }

    // RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled; empty for null.
    private static string Csv(object? value)
    {
        var text = value switch
        {
            null => string.Empty,
            bool b => b ? "true" : "false",
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? string.Empty,
        };
        return text.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
    }
}
