// Serves wwwroot/index.html, a page that embeds the tracking server's monitor.js with one script tag.
var app = WebApplication.CreateBuilder(args).Build();
app.UseDefaultFiles();
app.UseStaticFiles();
app.Run();
