namespace EventTracker.Server.Storage.Durable;

/// <summary>An append waiting for the <see cref="GroupCommitWriter"/>, and how its caller learns that it was stored.</summary>
internal sealed class PendingAppend(AppendOperation operation)
{
    public AppendOperation Operation { get; } = operation;

    public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
