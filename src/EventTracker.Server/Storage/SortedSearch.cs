namespace EventTracker.Server.Storage;

/// <summary>The one binary search the store and the analytics timeline share: over any ascending sequence of keys.</summary>
internal static class SortedSearch
{
    /// <summary>
    /// The first position in [<paramref name="low"/>, <paramref name="high"/>) whose key is at least <paramref name="target"/>,
    /// or <paramref name="high"/> when there is none. <paramref name="keyAt"/> must not decrease along the range.
    /// </summary>
    public static long LowerBound<TState>(long low, long high, long target, TState state, Func<TState, long, long> keyAt)
    {
        while (low < high)
        {
            var mid = low + ((high - low) / 2);
            if (keyAt(state, mid) < target)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return low;
    }
}
