namespace EventTracker.Server.Tests.Streams;

/// <summary>Waits for something the server does in the background, looking every 100 ms.</summary>
internal static class Poll
{
    /// <summary>Whether <paramref name="condition"/> held within <paramref name="seconds"/>.</summary>
    public static async Task<bool> UntilAsync(Func<bool> condition, int seconds)
    {
        for (var waited = 0; waited < seconds * 10; waited++)
        {
            if (condition())
            {
                return true;
            }

            await Task.Delay(100);
        }

        return condition();
    }
}
