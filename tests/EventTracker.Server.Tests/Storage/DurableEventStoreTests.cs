using EventTracker.Contracts;
using EventTracker.Server.Storage;
using EventTracker.Server.Storage.Durable;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace EventTracker.Server.Tests.Storage;

/// <summary>What only the durable store does: its files, their damage, their size, and a full disk.</summary>
public sealed class DurableEventStoreTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 8, 27, 0, 0, 0, TimeSpan.Zero));
    private readonly TemporaryDirectory _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task A_log_cut_at_any_byte_of_its_last_record_starts_and_loses_only_that_record()
    {
        using (var store = Open())
        {
            await store.AppendAsync(Event("first"), CancellationToken.None);
            await store.AppendBatchAsync("b", [Event("second"), Event("third")], CancellationToken.None);
        }

        var segment = Assert.Single(Segments());
        var whole = await File.ReadAllBytesAsync(segment);
        var lastRecordStart = whole.Length - LastFrameLength(whole);
        for (var cut = lastRecordStart; cut < whole.Length; cut++)
        {
            await File.WriteAllBytesAsync(segment, whole[..cut]);
            var logger = new CollectingLogger();
            using (var store = Open(logger: logger))
            {
                Assert.Equal(["first"], (await store.QueryAsync(new EventFilter(), null, null, 10, null, CancellationToken.None)).Events.Select(e => e.Name));
                Assert.False((await store.AppendBatchAsync("b", [Event("again")], CancellationToken.None)).Replayed, "the lost batch was never acknowledged");
            }

            Assert.Equal(cut == lastRecordStart ? 0 : 1, logger.Warnings.Count);
        }
    }

    [Fact]
    public async Task A_damaged_last_record_is_cut_off_and_logged()
    {
        using (var store = Open())
        {
            await store.AppendAsync(Event("kept"), CancellationToken.None);
            await store.AppendAsync(Event("damaged"), CancellationToken.None);
        }

        var segment = Assert.Single(Segments());
        var bytes = await File.ReadAllBytesAsync(segment);
        bytes[^3] ^= 0xFF;
        await File.WriteAllBytesAsync(segment, bytes);
        var logger = new CollectingLogger();

        using var reopened = Open(logger: logger);

        Assert.Equal(["kept"], (await reopened.QueryAsync(new EventFilter(), null, null, 10, null, CancellationToken.None)).Events.Select(e => e.Name));
        Assert.Contains("Damaged", Assert.Single(logger.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public void A_directory_held_by_another_store_is_refused_with_a_clear_message()
    {
        using var first = Open();

        var refusal = Assert.Throws<DataDirectoryInUseException>(() => Open());

        Assert.Contains("in use by another EventTracker server", refusal.Message, StringComparison.Ordinal);
        Assert.Contains(_data.Path, refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Segments_roll_by_size_and_are_deleted_once_their_events_are_evicted()
    {
        var options = new EventStoreOptions { Capacity = 100, SegmentBytes = 4096 };
        long lastSequence;
        using (var store = Open(options))
        {
            for (var i = 0; i < 2000; i++)
            {
                lastSequence = (await store.AppendAsync(Event("e" + i), CancellationToken.None)).Record.Sequence;
            }

            Assert.InRange(Segments().Length, 2, 8);
            Assert.InRange(Segments().Sum(f => new FileInfo(f).Length), 1, 100 * 1024);
        }

        using var reopened = Open(options);
        var held = (await reopened.QueryAsync(new EventFilter(), null, null, 1000, null, CancellationToken.None)).Events;
        Assert.Equal(Enumerable.Range(1900, 100).Reverse().Select(i => "e" + i), held.Select(e => e.Name));
        Assert.Equal(100, reopened.Count);
    }

    [Fact]
    public async Task Segments_roll_by_age()
    {
        using var store = Open(new EventStoreOptions { SegmentMaxAge = TimeSpan.FromMinutes(10) });
        await store.AppendAsync(Event("a"), CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(11));
        await store.AppendAsync(Event("b"), CancellationToken.None);

        Assert.Equal(2, Segments().Length);
    }

    [Fact]
    public async Task When_writing_falls_behind_appends_are_refused_at_once_instead_of_waiting()
    {
        var writer = new TaskCompletionSource();
        using var store = Open(new EventStoreOptions { MaxQueuedEvents = 100 });
        store.BeforeEachGroup = () => writer.Task;

        var first = store.AppendBatchAsync("first", Batch(60), CancellationToken.None).AsTask();
        var second = store.AppendBatchAsync("second", Batch(30), CancellationToken.None).AsTask();
        var refusal = await Assert.ThrowsAsync<StoreUnavailableException>(async () => await store.AppendBatchAsync("third", Batch(20), CancellationToken.None));

        Assert.False(first.IsCompleted);
        Assert.Contains("behind", refusal.Message, StringComparison.Ordinal);
        writer.SetResult();
        await Task.WhenAll(first, second);
        Assert.Equal(90, store.Count);
        Assert.Equal(1, store.ShedAppends);

        // One batch larger than the limit still goes through when nothing else waits.
        Assert.Equal(500, (await store.AppendBatchAsync("large", Batch(500), CancellationToken.None)).ProcessedCount);
    }

    [Theory]
    [InlineData(FlushMode.Interval)]
    [InlineData(FlushMode.Never)]
    public async Task Every_flush_mode_keeps_what_was_appended_across_a_clean_restart(FlushMode mode)
    {
        var options = new EventStoreOptions { FlushMode = mode };
        using (var store = Open(options))
        {
            await store.AppendBatchAsync("b", Enumerable.Range(0, 50).Select(i => Event("e" + i)).ToList(), CancellationToken.None);
        }

        using var reopened = Open(options);
        Assert.Equal(50, reopened.Count);
    }

    [Fact]
    public async Task A_full_disk_refuses_appends_stores_nothing_and_clears_when_space_returns()
    {
        using var disk = SmallDisk.Mount(_data.Path, kilobytes: 256);
        using var store = Open(new EventStoreOptions { DataDirectory = disk.Path });
        await store.AppendAsync(Event("before"), CancellationToken.None);
        var filler = Path.Combine(disk.Path, "filler");
        SmallDisk.FillUp(filler);

        var refusal = await Assert.ThrowsAsync<StoreUnavailableException>(async () =>
            await store.AppendBatchAsync("big", Enumerable.Range(0, 200).Select(i => Event("e" + i)).ToList(), CancellationToken.None));
        var single = await Assert.ThrowsAsync<StoreUnavailableException>(async () => await store.AppendAsync(LargeEvent("one", clientId: "c1"), CancellationToken.None));

        Assert.True(refusal.RetryAfter > TimeSpan.Zero);
        Assert.Equal(["before"], (await store.QueryAsync(new EventFilter(), null, null, 10, null, CancellationToken.None)).Events.Select(e => e.Name));
        Assert.NotNull(single);

        File.Delete(filler);
        var retried = await store.AppendBatchAsync("big", Enumerable.Range(0, 200).Select(i => Event("e" + i)).ToList(), CancellationToken.None);
        var retriedSingle = await store.AppendAsync(LargeEvent("one", clientId: "c1"), CancellationToken.None);

        Assert.Equal(200, retried.ProcessedCount);
        Assert.False(retried.Replayed);
        Assert.False(retriedSingle.Replayed);
        Assert.Equal(202, store.Count);
    }

    private DurableEventStore Open(EventStoreOptions? options = null, ILogger<DurableEventStore>? logger = null)
    {
        options ??= new EventStoreOptions();
        if (options.DataDirectory == EventStoreOptions.DefaultDataDirectory)
        {
            options.DataDirectory = _data.Path;
        }

        return new DurableEventStore(Options.Create(options), _time, logger ?? NullLogger<DurableEventStore>.Instance);
    }

    private static List<NewEvent> Batch(int count) => [.. Enumerable.Range(0, count).Select(i => Event("e" + i))];

    private string[] Segments() => Directory.GetFiles(_data.Path, "*.log", SearchOption.AllDirectories);

    private static int LastFrameLength(byte[] log)
    {
        var offset = 0;
        var last = 0;
        while (offset < log.Length)
        {
            last = LogFrame.HeaderBytes + BitConverter.ToInt32(log, offset);
            offset += last;
        }

        return last;
    }

    private static NewEvent Event(string name, string? clientId = null) =>
        new(name, "svc", null, null, null, 200, 12, clientId, """{"metadata":{"k":"v"}}"""u8.ToArray());

    // Larger than what is left of the segment's last page, so it needs space the full disk does not have.
    private static NewEvent LargeEvent(string name, string clientId) =>
        new(name, "svc", null, null, null, null, null, clientId, System.Text.Encoding.UTF8.GetBytes("{\"metadata\":{\"text\":\"" + new string('x', 8192) + "\"}}"));

    private sealed class CollectingLogger : ILogger<DurableEventStore>
    {
        public List<string> Warnings { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel >= LogLevel.Warning)
            {
                Warnings.Add(formatter(state, exception));
            }
        }
    }
}
