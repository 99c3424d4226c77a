using System.Text.Json.Nodes;

namespace EventTracker.Server.Tests.Postgres;

/// <summary>Asserts that nodes gave the same JSON answer to one question, naming the fields that differ when they did not.</summary>
internal static class SameAnswers
{
    private const int MaxDifferences = 20;

    /// <param name="question">What was asked, for the message.</param>
    /// <param name="answers">Each node's name and answer; the first is the reference.</param>
    public static void Assert(string question, IReadOnlyList<(string Node, JsonNode Answer)> answers)
    {
        var (first, expected) = answers[0];
        foreach (var (node, answer) in answers.Skip(1))
        {
            if (JsonNode.DeepEquals(expected, answer))
            {
                continue;
            }

            var differences = new List<string>();
            Compare(expected, answer, "$", differences);
            Xunit.Assert.Fail(
                $"{question} answers differently on {first} and {node}:{Environment.NewLine}"
                + string.Join(Environment.NewLine, differences.Take(MaxDifferences).Select(d => "  " + d))
                + (differences.Count > MaxDifferences ? $"{Environment.NewLine}  … {differences.Count - MaxDifferences} more" : string.Empty)
                + $"{Environment.NewLine}{first}: {Shorten(expected)}{Environment.NewLine}{node}: {Shorten(answer)}");
        }
    }

    private static void Compare(JsonNode? expected, JsonNode? actual, string path, List<string> differences)
    {
        switch (expected, actual)
        {
            case (JsonObject x, JsonObject y):
                foreach (var key in x.Select(p => p.Key).Union(y.Select(p => p.Key), StringComparer.Ordinal))
                {
                    Compare(x[key], y[key], $"{path}.{key}", differences);
                }

                break;
            case (JsonArray x, JsonArray y) when x.Count == y.Count:
                for (var i = 0; i < x.Count; i++)
                {
                    Compare(x[i], y[i], $"{path}[{i}]", differences);
                }

                break;
            default:
                if (!JsonNode.DeepEquals(expected, actual))
                {
                    differences.Add($"{path}: {Shorten(expected)} ≠ {Shorten(actual)}");
                }

                break;
        }
    }

    private static string Shorten(JsonNode? node)
    {
        var json = node?.ToJsonString() ?? "(absent)";
        return json.Length > 3000 ? json[..3000] + "…" : json;
    }
}
