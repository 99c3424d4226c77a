using EventTracker.Server.Storage;
using Microsoft.Extensions.Options;

namespace EventTracker.Server.Tests.Storage;

public sealed class InMemoryEventStoreTests : InProcessEventStoreContract
{
    protected override bool IsDurable => false;

    internal override IEventStore Open(EventStoreOptions options) => new InMemoryEventStore(Options.Create(options), Time);
}
