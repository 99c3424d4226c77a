using Microsoft.Playwright;

namespace EventTracker.Browser.Tests;

/// <summary>One headless system Chromium for the browser tests (Playwright cannot download browsers here).</summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;

    /// <summary>Leaves the back/forward cache on, as in users' browsers (Playwright turns it off).</summary>
    public bool BackForwardCache { get; init; }

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run",
            ],
            IgnoreDefaultArgs = BackForwardCache ? ["--disable-back-forward-cache"] : [],
        });
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright?.Dispose();
    }
}
