using EventTracker.Contracts;
using EventTracker.Server.Queries;
using EventTracker.Server.Validation;

namespace EventTracker.Server.Tests;

public sealed class EventFilterFieldsTests
{
    [Fact]
    public void The_server_reads_every_field_the_contract_writes_under_the_same_name()
    {
        var filter = new EventFilter
        {
            ServiceName = "s", EventName = "e", Type = "t", UserId = "u", CorrelationId = "c", SessionId = "x", ErrorsOnly = true, StatusClass = 5,
        };
        var written = filter.ToParameters().ToDictionary(p => p.Key, p => p.Value);
        var errors = new ValidationErrors();

        var read = EventFilterFields.Read(field => written.GetValueOrDefault(field.Name), errors, field => field.Name);

        Assert.False(errors.Any);
        Assert.Equal(filter, read);
        Assert.Equal(written.Keys, EventFilterFields.All.Select(f => f.Name));
        Assert.Equal(written, read.ToParameters().ToDictionary(p => p.Key, p => p.Value));
        Assert.Equal("eventType", EventFilterFields.All.Single(f => f.Name == "type").MessageName);
    }

    [Theory]
    [InlineData("errorsOnly", "true", "true")]
    [InlineData("errorsOnly", "FALSE", null)]
    [InlineData("statusClass", "4xx", "4xx")]
    [InlineData("statusClass", "5XX", "5xx")]
    [InlineData("statusClass", "2", "2xx")]
    public void Flags_and_status_classes_are_read_in_their_forms(string name, string value, string? written)
    {
        var errors = new ValidationErrors();

        var read = EventFilterFields.Read(field => field.Name == name ? value : null, errors, field => field.Name);

        Assert.False(errors.Any);
        Assert.Equal(written, read.ToParameters().SingleOrDefault().Value);
    }

    [Theory]
    [InlineData("statusClass", "6xx", EventFilterFields.StatusClassProblem)]
    [InlineData("statusClass", "0", EventFilterFields.StatusClassProblem)]
    [InlineData("statusClass", "abc", EventFilterFields.StatusClassProblem)]
    [InlineData("statusClass", "45xx", EventFilterFields.StatusClassProblem)]
    [InlineData("errorsOnly", "maybe", "Must be true or false.")]
    [InlineData("errorsOnly", "1", "Must be true or false.")]
    public void A_bad_value_is_a_problem_naming_the_field(string name, string value, string problem)
    {
        var errors = new ValidationErrors();

        EventFilterFields.Read(field => field.Name == name ? value : null, errors, field => field.Name);

        Assert.Equal([problem], errors.ToDictionary()[name]);
    }

    [Fact]
    public void A_filter_that_arrived_whole_is_checked_as_if_it_had_come_as_text()
    {
        var errors = new ValidationErrors();

        EventFilterFields.Validate(new EventFilter { StatusClass = 7, ServiceName = "" }, errors, "filter.");

        Assert.Equal([EventFilterFields.StatusClassProblem], errors.ToDictionary()["filter.statusClass"]);
        Assert.True(errors.ToDictionary().ContainsKey("filter.serviceName"));
    }
}
