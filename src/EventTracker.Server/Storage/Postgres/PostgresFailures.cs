using System.Net.Sockets;
using Npgsql;

namespace EventTracker.Server.Storage.Postgres;

/// <summary>Turns "the database cannot be reached now" into <see cref="StoreUnavailableException"/>: a 503 with <c>Retry-After</c>, not a 500.</summary>
internal static class PostgresFailures
{
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(2);

    /// <summary>Whether <paramref name="exception"/> says the database is down, restarting or unreachable.</summary>
    public static bool IsUnavailable(Exception exception) =>
        exception is NpgsqlException { IsTransient: true } or TimeoutException or SocketException or IOException;

    public static StoreUnavailableException Unavailable(Exception exception) =>
        new("The database cannot be reached now; retry shortly.", exception) { RetryAfter = RetryAfter };

    public static async ValueTask<T> Guard<T>(Func<Task<T>> operation)
    {
        try
        {
            return await operation();
        }
        catch (Exception e) when (IsUnavailable(e))
        {
            throw Unavailable(e);
        }
    }
}
