using EventTracker.Server.Storage;

namespace EventTracker.Server.Analytics;

/// <summary>
/// Which users each source (session) acted for lately: a session that signs in as many users is a classic sign of
/// credential stuffing or account sharing. Bounded: at most <see cref="MaxSources"/> sessions, the least recently
/// seen forgotten first, and at most <see cref="MaxUsersPerSource"/> users remembered per session.
/// Not thread-safe: <see cref="AnalyticsProjection"/> guards it.
/// </summary>
internal sealed class SourceFanOut
{
    public const int MaxSources = 10_000;
    public const int MaxUsersPerSource = 1_000;

    private readonly Dictionary<string, Source> _sources = new(StringComparer.Ordinal);
    private readonly PriorityQueue<string, long> _byLastSeen = new();

    public void Observe(EventRecord record)
    {
        if (record.SessionId is not { } session || record.UserId is not { } user)
        {
            return;
        }

        if (!_sources.TryGetValue(session, out var source))
        {
            source = new Source(record.ServiceName ?? RollupSet.UnknownService);
            _sources.Add(session, source);
        }

        if (source.Users.Count < MaxUsersPerSource || source.Users.ContainsKey(user))
        {
            source.Users[user] = Math.Max(source.Users.GetValueOrDefault(user), record.Timestamp);
        }

        source.LastSeen = Math.Max(source.LastSeen, record.Timestamp);
        _byLastSeen.Enqueue(session, source.LastSeen);
        while (_sources.Count > MaxSources && _byLastSeen.TryDequeue(out var oldest, out var seen))
        {
            if (_sources.TryGetValue(oldest, out var candidate) && candidate.LastSeen == seen)
            {
                _sources.Remove(oldest);
            }
        }

        if (_byLastSeen.Count > 4 * MaxSources)
        {
            _byLastSeen.Clear();
            foreach (var (key, value) in _sources)
            {
                _byLastSeen.Enqueue(key, value.LastSeen);
            }
        }
    }

    /// <summary>Sessions that acted for at least <paramref name="minUsers"/> distinct users since <paramref name="since"/>, most users first.</summary>
    public List<(string Session, string Service, int Users)> Since(long since, int minUsers) =>
        _sources
            .Select(s => (Session: s.Key, s.Value.Service, Users: s.Value.Users.Values.Count(seen => seen >= since)))
            .Where(s => s.Users >= minUsers)
            .OrderByDescending(s => s.Users)
            .ToList();

    private sealed class Source(string service)
    {
        public string Service { get; } = service;

        public Dictionary<string, long> Users { get; } = new(StringComparer.Ordinal);

        public long LastSeen { get; set; }
    }
}
