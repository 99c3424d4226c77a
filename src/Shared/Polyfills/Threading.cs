// Compiled into the netstandard2.0 builds only: the threading types and members .NET 5 to 8 added that we use.
namespace System.Threading.Tasks;

/// <summary>The non-generic completion source of .NET 5, over the generic one.</summary>
internal sealed class TaskCompletionSource
{
    private readonly TaskCompletionSource<bool> _inner;

    public TaskCompletionSource(TaskCreationOptions options) => _inner = new TaskCompletionSource<bool>(options);

    public Task Task => _inner.Task;

    public bool TrySetResult() => _inner.TrySetResult(true);
}

internal static class TaskPolyfills
{
    extension(Task)
    {
        /// <summary>A delay on <paramref name="timeProvider"/>'s clock (Microsoft.Bcl.TimeProvider).</summary>
        public static Task Delay(TimeSpan delay, TimeProvider timeProvider, CancellationToken cancellationToken) =>
            timeProvider.Delay(delay, cancellationToken);
    }

    /// <summary>Waits for <paramref name="task"/> until <paramref name="cancellationToken"/> fires.</summary>
    public static async Task WaitAsync(this Task task, CancellationToken cancellationToken)
    {
        if (!cancellationToken.CanBeCanceled || task.IsCompleted)
        {
            await task.ConfigureAwait(false);
            return;
        }

        var cancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        using (cancellationToken.Register(() => cancelled.TrySetCanceled(cancellationToken)))
        {
            await (await Task.WhenAny(task, cancelled.Task).ConfigureAwait(false)).ConfigureAwait(false);
        }
    }

    public static Task CancelAsync(this CancellationTokenSource source)
    {
        source.Cancel();
        return Task.CompletedTask;
    }
}
