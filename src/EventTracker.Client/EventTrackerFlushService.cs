using Microsoft.Extensions.Hosting;

namespace EventTracker.Client;

/// <summary>Flushes the <see cref="IEventTracker"/> when the host shuts down, so queued events are not lost.</summary>
internal sealed class EventTrackerFlushService : IHostedService
{
    private readonly IEventTracker _tracker;

    public EventTrackerFlushService(IEventTracker tracker) => _tracker = tracker;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
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
