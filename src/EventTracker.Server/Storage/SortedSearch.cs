namespace EventTracker.Server.Storage;

/// <summary>The one binary search the store and the analytics timeline share: over any sorted range.</summary>
internal static class SortedSearch
{
    /// <summary>
    /// The first position in [<paramref name="low"/>, <paramref name="high"/>) for which <paramref name="isBefore"/> is
    /// false, or <paramref name="high"/> when there is none. <paramref name="isBefore"/> must be true for a prefix of the
    /// range and false after it (the range is sorted and the predicate asks "is this element before the target?").
    /// </summary>
    public static long LowerBound<TState>(long low, long high, TState state, Func<TState, long, bool> isBefore)
    {
        while (low < high)
        {
            var mid = low + ((high - low) / 2);
            if (isBefore(state, mid))
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
