using EventTracker.Client.Testing;
using EventTracker.Contracts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace EventTracker.Client.Tests;

/// <summary>The recorder as a user's unit test uses it: in place of the real tracker, then asserting on what was tracked.</summary>
public sealed class RecordingEventTrackerTests
{
    [Fact]
    public async Task A_users_code_can_be_tested_for_what_it_tracks_without_a_server()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
        await using var services = new ServiceCollection()
            .AddSingleton<IEventTracker>(new RecordingEventTracker("shop", time))
            .AddSingleton<Checkout>()
            .BuildServiceProvider();

        services.GetRequiredService<Checkout>().Pay("order-1", "ada");
        services.GetRequiredService<Checkout>().Pay("order-2", null);
        var recorder = (RecordingEventTracker)services.GetRequiredService<IEventTracker>();
        await recorder.FlushAsync();

        Assert.Equal(["payment-started", "payment-completed", "payment-started", "payment-completed"], recorder.Events.Select(e => e.Name));
        var first = recorder.Named("payment-completed")[0];
        Assert.Equal(("shop", "order-1", "ada"), (first.Payload.ServiceName, first.Payload.CorrelationId, first.UserId));
        Assert.Equal(time.GetUtcNow(), first.TrackedAt);
        Assert.Equal(4, recorder.SentCount);
        Assert.Equal(0, recorder.DroppedCount + recorder.FailedCount);
    }

    [Fact]
    public void Only_one_says_what_was_tracked_when_there_is_not_exactly_one()
    {
        var recorder = new RecordingEventTracker();
        recorder.Track("page-view");
        recorder.Track("page-view");
        recorder.Track("signup", new AIEventPayload { ServiceName = "web" });

        var none = Assert.Throws<InvalidOperationException>(() => recorder.OnlyOne("purchase"));
        var two = Assert.Throws<InvalidOperationException>(() => recorder.OnlyOne("page-view"));

        Assert.Equal("Expected one 'purchase' event, found 0. Tracked: page-view, page-view, signup.", none.Message);
        Assert.Contains("found 2", two.Message, StringComparison.Ordinal);
        Assert.Equal("web", recorder.OnlyOne("signup").Payload.ServiceName);
        Assert.Throws<ArgumentException>(() => recorder.Track(""));
        recorder.Clear();
        Assert.Empty(recorder.Events);
    }

    [Fact]
    public async Task Tracking_from_many_threads_records_every_event()
    {
        var recorder = new RecordingEventTracker();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < 1000; i++)
            {
                recorder.Track($"t{t}");
            }
        })));

        Assert.Equal(8000, recorder.Events.Count);
        Assert.All(Enumerable.Range(0, 8), t => Assert.Equal(1000, recorder.Named($"t{t}").Count));
    }

    private sealed class Checkout(IEventTracker tracker)
    {
        public void Pay(string orderId, string? userId)
        {
            tracker.Track("payment-started", new AIEventPayload { CorrelationId = orderId }, userId);
            tracker.Track("payment-completed", new AIEventPayload { CorrelationId = orderId, StatusCode = 200, ResponseTimeMs = 42 }, userId);
        }
    }
}
