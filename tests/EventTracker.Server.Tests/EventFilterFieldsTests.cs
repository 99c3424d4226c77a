using EventTracker.Contracts;
using EventTracker.Server.Queries;

namespace EventTracker.Server.Tests;

public sealed class EventFilterFieldsTests
{
    [Fact]
    public void The_server_reads_every_field_the_contract_writes_under_the_same_name()
    {
        var filter = new EventFilter { ServiceName = "s", EventName = "e", Type = "t", UserId = "u", CorrelationId = "c", SessionId = "x" };
        var written = filter.ToParameters().ToDictionary(p => p.Key, p => p.Value);

        var read = EventFilterFields.Read(field => written.GetValueOrDefault(field.Name));

        Assert.Equal(written.Keys, EventFilterFields.All.Select(f => f.Name));
        Assert.Equal(written, read.ToParameters().ToDictionary(p => p.Key, p => p.Value));
        Assert.Equal("eventType", EventFilterFields.All.Single(f => f.Name == "type").MessageName);
    }
}
