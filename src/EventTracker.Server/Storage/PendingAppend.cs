namespace EventTracker.Server.Storage;

/// <summary>An append waiting for a store's group-commit writer, and how its caller learns that it was stored.</summary>
internal sealed class PendingAppend(AppendOperation operation)
{
    public AppendOperation Operation { get; } = operation;

    public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
