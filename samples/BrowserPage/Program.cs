using System.Text.Encodings.Web;

// Serves wwwroot/index.html, a page that embeds the tracking server's monitor.js with one script tag. The server's
// address comes from configuration: EventTracker:BaseAddress in appsettings.json, or --EventTracker:BaseAddress=….
var builder = WebApplication.CreateBuilder(args);
var tracker = new Uri(builder.Configuration["EventTracker:BaseAddress"] ?? "http://localhost:3000");
var app = builder.Build();
var page = File.ReadAllText(Path.Combine(app.Environment.WebRootPath, "index.html"))
    .Replace("{{EventTrackerAddress}}", HtmlEncoder.Default.Encode(tracker.AbsoluteUri.TrimEnd('/')), StringComparison.Ordinal);
app.MapGet("/", () => Results.Content(page, "text/html; charset=utf-8"));
app.UseStaticFiles();
app.Run();
