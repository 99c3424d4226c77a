using System.Net;
using System.Text.Json.Nodes;

namespace EventTracker.Server.Tests.Hostile;

/// <summary>The generated corpus: each case gets its status and a problem naming the field, never a 5xx, and the store stays as it was.</summary>
public sealed class HostileInputTests : IClassFixture<HostileInputTests.Fixture>
{
    private readonly Fixture _fixture;

    public HostileInputTests(Fixture fixture) => _fixture = fixture;

    public static TheoryData<HostileCase> Corpus
    {
        get
        {
            var data = new TheoryData<HostileCase>();
            foreach (var c in HostileCorpus.Cases())
            {
                data.Add(c);
            }

            return data;
        }
    }

    [Fact]
    public void The_corpus_is_large()
    {
        Assert.True(HostileCorpus.Cases().Count() >= 600, $"{HostileCorpus.Cases().Count()} cases");
        Assert.Equal(HostileCorpus.Cases().Count(), HostileCorpus.Cases().Select(c => c.Name).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Corpus))]
    public async Task Each_case_gets_its_4xx_naming_the_field_and_changes_nothing(HostileCase hostile)
    {
        var before = _fixture.Store.Count;
        using var request = new HttpRequestMessage(new HttpMethod(hostile.Method), hostile.Path);
        if (hostile.BodyBase64 is { } body)
        {
            request.Content = new ByteArrayContent(Convert.FromBase64String(body));
            request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        }

        using var response = await _fixture.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var status = (int)response.StatusCode;

        Assert.True(status < 500, $"{hostile.Name}: {status}");
        Assert.Equal(hostile.Status, status);
        if (status >= 400)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            if (hostile.Field is { } field)
            {
                Assert.True(problem["errors"]?[field] is JsonArray { Count: > 0 }, $"errors should name '{field}': {problem.ToJsonString()}");
            }

            Assert.Equal(before, _fixture.Store.Count);
        }
    }

    /// <summary>One server for the whole corpus, on real Kestrel: requests arrive as sent on the wire.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        private readonly TestServerFactory _factory = new(kestrel: true);

        public HttpClient Client { get; private set; } = null!;

        internal EventTracker.Server.Storage.IEventStore Store => _factory.Store;

        public Task InitializeAsync()
        {
            Client = _factory.CreateClient();
            return Task.CompletedTask;
        }

        public async Task DisposeAsync()
        {
            Client.Dispose();
            await _factory.DisposeAsync();
        }
    }
}
