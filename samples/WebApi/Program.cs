using EventTracker.Client;
using EventTracker.Contracts;

// A web API that tracks every request with the middleware, plus business events by hand
// (the guide's Express "user creation" example, in C#).
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddEventTracker(builder.Configuration); // the "EventTracker" section of appsettings.json, or --EventTracker:BaseAddress=…
builder.Services.AddEventTracking();
var app = builder.Build();
app.UseEventTracking();

var users = new Dictionary<string, User>();

app.MapPost("/api/users", (NewUser request, IEventTracker tracker) =>
{
    tracker.Track("user-creation-attempt", new AIEventPayload { Metadata = new() { ["source"] = "api", ["validation"] = "pending" } }, userId: request.Email);
    if (string.IsNullOrWhiteSpace(request.Email) || !request.Email.Contains('@', StringComparison.Ordinal))
    {
        tracker.Track("user-creation-failed", new AIEventPayload { Metadata = new() { ["error"] = "invalid email", ["source"] = "api" } });
        return Results.Problem(statusCode: 400, title: "A valid email is required.");
    }

    var user = new User($"user-{users.Count + 1}", request.Email, request.Role ?? "member");
    users[user.Id] = user;
    tracker.Track("user-created", new AIEventPayload { UserRole = user.Role, Metadata = new() { ["source"] = "api" } }, userId: user.Id);
    return Results.Created($"/api/users/{user.Id}", user);
});

app.MapGet("/api/users/{id}", (string id) => users.TryGetValue(id, out var user) ? Results.Ok(user) : Results.NotFound());

app.Run();

internal sealed record NewUser(string Email, string? Role);

internal sealed record User(string Id, string Email, string Role);
