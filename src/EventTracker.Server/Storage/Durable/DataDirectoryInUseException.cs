namespace EventTracker.Server.Storage.Durable;

/// <summary>Another running server holds the data directory.</summary>
internal sealed class DataDirectoryInUseException(string message, Exception innerException) : InvalidOperationException(message, innerException);
