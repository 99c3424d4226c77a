namespace EventTracker.Server.Storage.Durable;

/// <summary>What reading a frame found.</summary>
internal enum FrameStatus
{
    /// <summary>A whole frame with the right checksum.</summary>
    Complete,

    /// <summary>The data ends inside the frame: a write that did not finish.</summary>
    Incomplete,

    /// <summary>The frame's length, checksum or contents are wrong.</summary>
    Damaged,
}
