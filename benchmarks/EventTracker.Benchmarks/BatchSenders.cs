using System.Text;

namespace EventTracker.Benchmarks;

/// <summary>Batches POSTed to a server by a few concurrent senders, each taking every n-th batch: how harnesses fill a server.</summary>
internal static class BatchSenders
{
    /// <summary>POSTs batches 0 to <paramref name="batches"/> - 1, each body made by <paramref name="body"/>, from <paramref name="senders"/> senders.</summary>
    /// <exception cref="HttpRequestException">The server refused a batch.</exception>
    public static Task SendAsync(HttpClient client, int batches, int senders, Func<int, string> body) =>
        Task.WhenAll(Enumerable.Range(0, senders).Select(async sender =>
        {
            for (var batch = sender; batch < batches; batch += senders)
            {
                using var content = new StringContent(body(batch), Encoding.UTF8, "application/json");
                using var response = await client.PostAsync(new Uri("/api/events/track/batch", UriKind.Relative), content);
                response.EnsureSuccessStatusCode();
            }
        }));
}
