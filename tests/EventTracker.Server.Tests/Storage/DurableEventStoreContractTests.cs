using EventTracker.Server.Storage;
using EventTracker.Server.Storage.Durable;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EventTracker.Server.Tests.Storage;

public sealed class DurableEventStoreContractTests : InProcessEventStoreContract
{
    private readonly string _directory = Directory.CreateTempSubdirectory("eventtracker-contract-").FullName;

    protected override bool IsDurable => true;

    internal override IEventStore Open(EventStoreOptions options)
    {
        options.DataDirectory = _directory;
        return new DurableEventStore(Options.Create(options), Time, NullLogger<DurableEventStore>.Instance);
    }

    protected override void CleanUp() => Directory.Delete(_directory, recursive: true);
}
