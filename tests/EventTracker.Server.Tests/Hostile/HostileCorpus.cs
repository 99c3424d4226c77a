using System.Text;

namespace EventTracker.Server.Tests.Hostile;

/// <summary>
/// Generated bad HTTP requests: every payload field with wrong types, invalid UTF-8, unpaired surrogates, huge and deep
/// values, in single and batch bodies; every query parameter with out-of-range values. Each case says which field its
/// problem must name. Bodies travel as base64 so each case is its own test.
/// </summary>
internal static class HostileCorpus
{
    private static readonly string[] TextFields = ["serviceName", "sessionId", "correlationId", "userRole"];
    private static readonly string[] LongTextFields = ["userAgent", "referrer"];

    // Raw JSON string literals whose text is not valid Unicode: bytes that are not UTF-8, and escapes of unpaired surrogates.
    private static readonly (string Name, byte[] Json)[] BadText =
    [
        ("byte-ff", [(byte)'"', 0xFF, (byte)'"']),
        ("byte-fe", [(byte)'"', (byte)'a', 0xFE, (byte)'"']),
        ("lone-continuation", [(byte)'"', 0x80, (byte)'"']),
        ("overlong-slash", [(byte)'"', 0xC0, 0xAF, (byte)'"']),
        ("truncated-euro", [(byte)'"', 0xE2, 0x82, (byte)'"']),
        ("utf8-surrogate", [(byte)'"', 0xED, 0xA0, 0x80, (byte)'"']),
        ("five-byte", [(byte)'"', 0xF8, 0x88, 0x80, 0x80, 0x80, (byte)'"']),
        ("beyond-unicode", [(byte)'"', 0xF4, 0x90, 0x80, 0x80, (byte)'"']),
        ("escaped-high-surrogate", Encoding.ASCII.GetBytes("\"\\ud800\"")),
        ("escaped-low-surrogate", Encoding.ASCII.GetBytes("\"\\udc00\"")),
        ("escaped-surrogate-inside", Encoding.ASCII.GetBytes("\"a\\ud83d b\"")),
        ("escaped-reversed-pair", Encoding.ASCII.GetBytes("\"\\ude00\\ud83d\"")),
    ];

    private static readonly (string Name, string Json)[] WrongTypes =
    [
        ("number", "42"), ("true", "true"), ("array", "[1,2]"), ("object", "{\"a\":1}"), ("float", "1.5e3"),
    ];

    public static IEnumerable<HostileCase> Cases()
    {
        foreach (var (where, wrap) in Placements())
        {
            foreach (var field in TextFields.Concat(LongTextFields))
            {
                foreach (var (name, json) in WrongTypes)
                {
                    yield return wrap($"{field}={name}", Encoding.UTF8.GetBytes($"{{\"{field}\":{json}}}"), field, 400);
                }

                foreach (var (name, json) in BadText)
                {
                    yield return wrap($"{field}={name}", Object(field, json), field, 400);
                }

                var limit = LongTextFields.Contains(field) ? 2001 : 201;
                yield return wrap($"{field}=too-long", Encoding.UTF8.GetBytes($"{{\"{field}\":\"{new string('x', limit)}\"}}"), field, 400);
                yield return wrap($"{field}=control", Encoding.UTF8.GetBytes($"{{\"{field}\":\"a\\u0001b\"}}"), field, TextFields.Contains(field) ? 400 : 0);
            }

            foreach (var (name, json) in WrongTypes.Where(t => t.Name != "number" && t.Name != "float").Append(("string", "\"abc\"")).Append(("huge", "1e400")).Append(("negative", "-1")).Append(("above", "1000")).Append(("fraction", "200.5")))
            {
                yield return wrap($"statusCode={name}", Encoding.UTF8.GetBytes($"{{\"statusCode\":{json}}}"), "statusCode", 400);
            }

            foreach (var (name, json) in WrongTypes.Where(t => t.Name is "true" or "array" or "object").Append(("string", "\"fast\"")).Append(("negative", "-5")).Append(("huge", "1e400")))
            {
                yield return wrap($"responseTimeMs={name}", Encoding.UTF8.GetBytes($"{{\"responseTimeMs\":{json}}}"), "responseTimeMs", 400);
            }

            foreach (var (name, json) in WrongTypes.Where(t => t.Name is not "object").Append(("string", "\"x\"")))
            {
                yield return wrap($"metadata={name}", Encoding.UTF8.GetBytes($"{{\"metadata\":{json}}}"), "metadata", 400);
            }

            foreach (var (name, json) in BadText)
            {
                yield return wrap($"metadata-value={name}", Object("metadata", Object("note", json)), "metadata.note", 400);
                yield return wrap($"metadata-key={name}", Concat("{\"metadata\":{", json, ":1}}"), "metadata.(a property name)", 400);
                yield return wrap($"unknown-field={name}", Object("extra", json), "extra", 400);
                yield return wrap($"unknown-key={name}", Concat("{", json, ":1}"), "(a property name)", 400);
                yield return wrap($"userId={name}", Object("userId", json), "userId", 400);
                yield return wrap($"nested-array={name}", Concat("{\"metadata\":{\"list\":[1,", json, "]}}"), "metadata.list[1]", 400);
            }

            foreach (var (name, json) in new[] { ("object", "{\"id\":1}"), ("array", "[1]"), ("true", "true"), ("empty", "\"\""), ("long", $"\"{new string('u', 201)}\"") })
            {
                yield return wrap($"userId={name}", Encoding.UTF8.GetBytes($"{{\"userId\":{json}}}"), "userId", 400);
            }

            foreach (var (name, json) in new[] { ("word", "\"yesterday\""), ("true", "true"), ("object", "{\"ms\":1}"), ("array", "[1]"), ("huge", "1e300"), ("epoch-zero", "0"), ("far-future", "\"9999-12-31T00:00:00Z\""), ("year-1", "\"0001-01-01T00:00:00Z\""), ("negative", "-1"), ("bad-date", "\"2025-13-45T00:00:00Z\"") })
            {
                yield return wrap($"timestamp={name}", Encoding.UTF8.GetBytes($"{{\"timestamp\":{json}}}"), "timestamp", 400);
            }

            yield return wrap("deep-metadata", Encoding.UTF8.GetBytes("{\"metadata\":" + new string('[', 100) + new string(']', 100) + "}"), null, 400);
            yield return wrap("deep-unknown", Encoding.UTF8.GetBytes("{\"x\":" + string.Concat(Enumerable.Repeat("{\"a\":", 80)) + "1" + new string('}', 80) + "}"), null, 400);
        }

        foreach (var c in EventNames())
        {
            yield return c;
        }

        foreach (var c in QueryParameters())
        {
            yield return c;
        }
    }

    /// <summary>A payload as the body of a single event, and as the payload of the second event of a batch.</summary>
    private static IEnumerable<(string Where, Func<string, byte[], string?, int, HostileCase> Wrap)> Placements()
    {
        yield return ("single", (name, payload, field, status) =>
            new HostileCase("single " + name, "POST", "/api/events/track/hostile", Convert.ToBase64String(payload), Expect(status), field));
        yield return ("batch", (name, payload, field, status) =>
            new HostileCase(
                "batch " + name,
                "POST",
                "/api/events/track/batch",
                Convert.ToBase64String(Concat("{\"events\":[{\"eventName\":\"fine\"},{\"eventName\":\"hostile\",\"payload\":", payload, "}]}")),
                Expect(status),
                field is null ? null : field.StartsWith("(a property name)", StringComparison.Ordinal) ? "events[1].payload." + field : "events[1].payload." + field));
    }

    // A field that may hold control characters is accepted: the case checks that nothing fails (expected 200).
    private static int Expect(int status) => status == 0 ? 200 : status;

    private static IEnumerable<HostileCase> EventNames()
    {
        // (%00 is refused by Kestrel before routing; the framing tests send it over a socket.)
        string[] names = ["a%01b", "%7F", "%20%20", new string('n', 201), "%FF", "%ED%A0%80", "%C0%AF"];
        foreach (var name in names)
        {
            yield return new HostileCase("event-name " + name[..Math.Min(12, name.Length)], "POST", "/api/events/track/" + name, Convert.ToBase64String("{}"u8.ToArray()), 400, "eventName");
        }

        // A correlation id may be blank (it is only looked up), so "%20%20" is not among these.
        foreach (var id in names.Where(n => n != "%20%20"))
        {
            yield return new HostileCase("trace " + id[..Math.Min(12, id.Length)], "GET", "/api/events/trace/" + id, null, 400, "correlationId");
        }

        foreach (var (name, json) in BadText)
        {
            yield return new HostileCase("batch-event-name " + name, "POST", "/api/events/track/batch", Convert.ToBase64String(Concat("{\"events\":[{\"eventName\":", json, "}]}")), 400, "events[0].eventName");
            yield return new HostileCase("batch-event-id " + name, "POST", "/api/events/track/batch", Convert.ToBase64String(Concat("{\"events\":[{\"eventName\":\"a\",\"eventId\":", json, "}]}")), 400, "events[0].eventId");
            yield return new HostileCase("batch-id " + name, "POST", "/api/events/track/batch", Convert.ToBase64String(Concat("{\"batchId\":", json, ",\"events\":[{\"eventName\":\"a\"}]}")), 400, "batchId");
        }
    }

    private static IEnumerable<HostileCase> QueryParameters()
    {
        string[] times = ["9223372036854775807", "253402300800000", "99999999999999999999", "5000000d", "762514w", "106751992d", "9999999999s", "-1", "1e5", "2025-13-45", "%00", "%FF", "24x", "7 d", "0x10", "%ED%A0%80"];
        string[] endpoints =
        [
            "/api/events", "/api/events/services", "/api/events/statistics", "/api/events/timeseries", "/api/events/insights",
            "/api/events/features", "/api/ai/prompts/performance",
        ];
        string[] extremeRanges =
        [
            "from=0&to=253402300799999", "to=9999-12-31T23:59:59Z", "from=9999-12-31T00:00:00Z&to=9999-12-31T23:59:59.999Z",
            "from=0001-01-01T00:00:00Z", "from=0001-01-01T00:00:00Z&to=9999-12-31T23:59:59.999Z",
        ];
        foreach (var endpoint in endpoints)
        {
            foreach (var parameter in new[] { "from", "to" })
            {
                foreach (var value in times)
                {
                    yield return Get($"{endpoint}?{parameter}={value}", parameter);
                }
            }

            // Valid however far they reach: answered, with every time in the answer representable.
            foreach (var range in extremeRanges)
            {
                yield return new HostileCase($"range {endpoint}?{range}", "GET", $"{endpoint}?{range}", null, 200, null);
            }
        }

        foreach (var value in new[] { "abc", "-1", "1e3", "%00", "99999999999999999999999", "1.5", "%FF" })
        {
            yield return Get("/api/events?limit=" + value, "limit");
            yield return Get("/api/events/suggestions?limit=" + value, "limit");
            yield return Get("/api/events/insights?limit=" + value, "limit");
        }

        // The newer endpoints' own parameters.
        foreach (var endpoint in new[] { "/api/events/timeseries", "/api/events/insights", "/api/events/features", "/api/ai/prompts/performance", "/api/events/suggestions" })
        {
            foreach (var value in new[] { "%00", "a%01b", new string('x', 201), "%FF", "%ED%A0%80" })
            {
                yield return Get($"{endpoint}?serviceName={value}", "serviceName");
            }
        }

        foreach (var value in new[] { "bogus", "%00", "PERFORMANCE_ISSUE", new string('t', 300) })
        {
            yield return Get("/api/events/insights?type=" + value, "type");
        }

        foreach (var value in new[] { "xml", "%00", "json", new string('f', 300) })
        {
            yield return Get("/api/events/features?format=" + value, "format");
        }

        foreach (var kind in new[] { "bogus", "%FF", "a%01b", new string('k', 300) })
        {
            yield return Get("/api/ai/prompts/" + kind, "kind");
        }

        foreach (var value in new[] { "%00", "%FF", new string('e', 201) })
        {
            yield return Get("/api/events/suggestions?eventName=" + value, "eventName");
        }

        foreach (var value in new[] { "////", "%00", "a", "AAAA", "%FF%FE", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "____________________________", "%ED%A0%80", "AAAAAAAAAAAAAAAAAAAAAA%3D%3D" })
        {
            yield return Get("/api/events?cursor=" + value, "cursor");
        }

        foreach (var parameter in new[] { "serviceName", "eventName", "type", "userId", "correlationId", "sessionId" })
        {
            foreach (var value in new[] { "%00", "a%01b", new string('x', 201), "%FF", "%ED%A0%80" })
            {
                yield return Get($"/api/events?{parameter}={value}", parameter);
                yield return Get($"/api/events/stream?{parameter}={value}", parameter);
            }
        }

        foreach (var value in new[] { "abc", "-5", "%00", "99999999999999999999999" })
        {
            yield return Get("/api/events/stream?lastEventId=" + value, "lastEventId");
        }

        (string Parameter, string[] Values)[] typed = [("errorsOnly", ["yes", "1", "truee", "%00", "%FF"]), ("statusClass", ["6xx", "0", "5xxx", "x5", "%00", "%FF"])];
        foreach (var (parameter, values) in typed)
        {
            foreach (var endpoint in new[] { "/api/events", "/api/events/stream", "/api/events/services", "/api/events/statistics", "/api/events/timeseries" })
            {
                foreach (var value in values)
                {
                    yield return Get($"{endpoint}?{parameter}={value}", parameter);
                }
            }
        }
    }

    private static HostileCase Get(string path, string field) => new("query " + path, "GET", path, null, 400, field);

    private static byte[] Object(string field, byte[] valueJson) => Concat($"{{\"{field}\":", valueJson, "}");

    private static byte[] Concat(string before, byte[] middle, string after) =>
        [.. Encoding.UTF8.GetBytes(before), .. middle, .. Encoding.UTF8.GetBytes(after)];
}

/// <summary>One bad request: what to send, the status it must get, and the field its problem must name (if one).</summary>
public sealed record HostileCase(string Name, string Method, string Path, string? BodyBase64, int Status, string? Field)
{
    public override string ToString() => Name;
}
