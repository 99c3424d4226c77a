using System.Net;
using EventTracker.Contracts;
using EventTracker.Server.Ingestion;
using EventTracker.Server.Storage;
using EventTracker.Server.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace EventTracker.Server.Tests.Ingestion;

/// <summary>The one admission path the transports share: the sender's budget, the store, and refusals each transport can write.</summary>
public sealed class EventAdmissionTests : IDisposable
{
    private static readonly TrackHeaders NoHeaders = new(null, null, null, null);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
    private readonly TestServerFactory _factory;

    public EventAdmissionTests() => _factory = new TestServerFactory(
        new Dictionary<string, string?> { ["EventTracker:RateLimit:EventsPerSecond"] = "1", ["EventTracker:RateLimit:EventBurst"] = "3" },
        _time);

    private EventAdmission Admission => _factory.Services.GetRequiredService<EventAdmission>();

    private IEventStore Store => _factory.Store;

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task An_event_within_the_budget_is_stored_and_answered()
    {
        var admitted = await Admission.TrackAsync(Sender("10.0.0.1"), IngestTransport.Http, "signup", Payload("web"), NoHeaders, CancellationToken.None);

        Assert.Null(admitted.Refusal);
        Assert.True(admitted.Value!.Success);
        Assert.Equal(1, Store.Count);
    }

    [Fact]
    public async Task A_sender_over_its_budget_is_refused_with_when_to_retry_and_nothing_more_is_stored()
    {
        var sender = Sender("10.0.0.2");
        for (var i = 0; i < 3; i++)
        {
            Assert.Null((await Admission.TrackAsync(sender, IngestTransport.Http, "e", Payload("web"), NoHeaders, CancellationToken.None)).Refusal);
        }

        var refused = await Admission.TrackAsync(sender, IngestTransport.Http, "e", Payload("web"), NoHeaders, CancellationToken.None);

        Assert.Equal(RefusalReason.RateLimited, refused.Refusal!.Reason);
        Assert.True(refused.Refusal.RetryAfter > TimeSpan.Zero);
        Assert.Contains("rate", refused.Refusal.Errors.ToDictionary().Keys);
        Assert.Equal(3, Store.Count);
        var problem = refused.Refusal.ToProblem(sender.Response);
        Assert.Equal((int)HttpStatusCode.TooManyRequests, problem.StatusCode);
        Assert.False(string.IsNullOrEmpty(sender.Response.Headers.RetryAfter));
    }

    [Fact]
    public async Task A_batch_costs_its_size_and_is_refused_whole_while_another_sender_keeps_its_budget()
    {
        var sender = Sender("10.0.0.3");
        var first = await Admission.TrackBatchAsync(sender, Batch(2), NoHeaders, 0, CancellationToken.None);

        var refused = await Admission.TrackBatchAsync(sender, Batch(2), NoHeaders, 0, CancellationToken.None);
        var other = await Admission.TrackAsync(Sender("10.0.0.4"), IngestTransport.Http, "e", Payload("web"), NoHeaders, CancellationToken.None);

        Assert.Null(first.Refusal);
        Assert.Equal(RefusalReason.RateLimited, refused.Refusal!.Reason);
        Assert.Null(other.Refusal);
        Assert.Equal(3, Store.Count);
    }

    [Fact]
    public async Task Events_that_need_no_answer_are_stored_in_chunks_each_whole()
    {
        var events = Enumerable.Range(0, 3).Select(i => new BatchTrackEventItem { EventName = "span-" + i, EventId = "id-" + i }).ToList();

        var refusal = await Admission.StoreAsync(Sender("10.0.0.5"), events, NoHeaders, chunkSize: 2, CancellationToken.None);
        var again = await Admission.StoreAsync(Sender("10.0.0.6"), [], NoHeaders, chunkSize: 2, CancellationToken.None);

        Assert.Null(refusal);
        Assert.Null(again);
        Assert.Equal(3, Store.Count);
    }

    [Fact]
    public void A_refusal_for_bad_input_or_size_is_a_400_or_413_naming_the_field()
    {
        var errors = new Validation.ValidationErrors();
        errors.Add("events[2].eventName", "The event name is required.");
        var response = new DefaultHttpContext().Response;

        var invalid = Admission.Refuse(IngestTransport.Batch, errors);
        var tooLarge = Admission.Refuse(IngestTransport.Batch, errors, tooLarge: true);

        Assert.Equal(RefusalReason.Invalid, invalid.Reason);
        Assert.Equal(400, invalid.ToProblem(response).StatusCode);
        Assert.Equal(413, tooLarge.ToProblem(response).StatusCode);
        Assert.Contains("events[2].eventName", ((Microsoft.AspNetCore.Http.HttpValidationProblemDetails)invalid.ToProblem(response).ProblemDetails).Errors.Keys);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_store_that_cannot_take_writes_is_a_503_refusal_and_a_shed_is_told_apart(bool shed)
    {
        var reason = shed ? RefusalReason.Shed : RefusalReason.StoreUnavailable;
        using var factory = new TestServerFactory(services: services => services.AddSingleton<IEventStore>(provider =>
            new RefusingStore(new InMemoryEventStore(Options.Create(new EventStoreOptions()), TimeProvider.System), shed)));
        var admission = factory.Services.GetRequiredService<EventAdmission>();
        var sender = Sender("10.0.0.7");

        var single = await admission.TrackAsync(sender, IngestTransport.Http, "e", Payload("web"), NoHeaders, CancellationToken.None);
        var batch = await admission.TrackBatchAsync(sender, new BatchTrackEventRequest { Events = [new BatchTrackEventItem { EventName = "e" }] }, NoHeaders, 0, CancellationToken.None);

        Assert.Equal(reason, single.Refusal!.Reason);
        Assert.Equal(reason, batch.Refusal!.Reason);
        Assert.Equal(503, single.Refusal.ToProblem(sender.Response).StatusCode);
        Assert.Equal("7", sender.Response.Headers.RetryAfter.ToString());
    }

    private static DefaultHttpContext Sender(string address)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(address);
        return context;
    }

    private static BatchTrackEventRequest Batch(int size) =>
        new() { Events = [.. Enumerable.Range(0, size).Select(i => new BatchTrackEventItem { EventName = "e" + i })] };

    private static AIEventPayload Payload(string service) => new() { ServiceName = service };

    /// <summary>A store whose appends are refused, as a full disk, a database that is down or a shed refuse them.</summary>
    private sealed class RefusingStore(InMemoryEventStore inner, bool shed) : IEventStore
    {
        public long Count => inner.Count;

        public long EvictedCount => inner.EvictedCount;

        public ValueTask<AppendResult> AppendAsync(NewEvent newEvent, CancellationToken cancellationToken) => throw Refusal();

        public ValueTask<BatchAppendResult> AppendBatchAsync(string batchId, IReadOnlyList<NewEvent> events, CancellationToken cancellationToken) => throw Refusal();

        public ValueTask<EventPage> QueryAsync(EventFilter filter, long? from, long? to, int limit, EventPosition? before, CancellationToken cancellationToken) =>
            inner.QueryAsync(filter, from, to, limit, before, cancellationToken);

        public ValueTask<FeedPosition> ReadHeadAsync(CancellationToken cancellationToken) => inner.ReadHeadAsync(cancellationToken);

        public ValueTask<FeedPage> ReadAsync(FeedPosition after, int maxChanges, CancellationToken cancellationToken) => inner.ReadAsync(after, maxChanges, cancellationToken);

        public Task WaitForChangesAsync(FeedPosition after, CancellationToken cancellationToken) => inner.WaitForChangesAsync(after, cancellationToken);

        private StoreUnavailableException Refusal() => new("Refused for the test.") { Shed = shed, RetryAfter = TimeSpan.FromSeconds(7) };
    }
}
