using Microsoft.Extensions.Hosting;

namespace EventTracker.Client;

/// <summary>Flushes the <see cref="IEventTracker"/> when the host shuts down, so queued events are not lost, within the host's shutdown timeout.</summary>
internal sealed class EventTrackerFlushService : IHostedService
{
    private readonly IEventTracker _tracker;

    public EventTrackerFlushService(IEventTracker tracker) => _tracker = tracker;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // Within the host's shutdown timeout: the background tracker gives up what it could not send by then (counted,
    // one warning), so shutting down never waits for the tracker's own, longer timeouts.
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_tracker is BackgroundEventTracker background)
        {
            await background.StopAsync(cancellationToken);
            return;
        }

        try
        {
            await _tracker.FlushAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The host's shutdown timeout won; what is still queued is counted when the tracker is disposed.
        }
    }
}
