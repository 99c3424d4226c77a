namespace EventTracker.Client;

/// <summary>
/// The pause before the next attempt after <c>failures</c> failed ones: exponential from a first delay, capped, with
/// jitter (50–100 % of the step) from an injected randomizer, so tests can fix it, as Polly's retry does.
/// </summary>
internal sealed class RetryBackOff
{
    // The exponent stops growing here; the cap takes over long before.
    private const int MaxDoublings = 16;

    private readonly TimeSpan _first;
    private readonly TimeSpan _max;
    private readonly Func<double> _randomizer;

    /// <param name="first">The first pause.</param>
    /// <param name="max">The longest pause.</param>
    /// <param name="randomizer">A number in [0, 1); the shared <see cref="Random"/> when null.</param>
    public RetryBackOff(TimeSpan first, TimeSpan max, Func<double>? randomizer = null)
    {
        _first = first;
        _max = max;
        _randomizer = randomizer ?? (() => Random.Shared.NextDouble());
    }

    public TimeSpan Next(int failures)
    {
        var exponential = _first.Ticks * Math.Pow(2, Math.Min(failures, MaxDoublings));
        var capped = Math.Min(exponential, _max.Ticks);
        return TimeSpan.FromTicks((long)(capped * (0.5 + (_randomizer() / 2))));
    }
}
