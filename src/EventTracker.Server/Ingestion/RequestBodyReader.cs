using System.Buffers;
using EventTracker.Server.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace EventTracker.Server.Ingestion;

/// <summary>
/// Reads an ingestion request's body within the configured size limit, compressed with gzip, br or deflate or not
/// (the request decompression middleware inflates it as it is read); the limit holds for the inflated bytes, so a
/// small compressed body that would inflate hugely stops at the limit with 413.
/// </summary>
internal sealed class RequestBodyReader
{
    private readonly int _maxBytes;

    public RequestBodyReader(IOptions<IngestionOptions> options) => _maxBytes = options.Value.MaxRequestBodyBytes;

    /// <summary>
    /// A JSON body, or a 4xx problem. JSON is accepted whether it is declared as <c>application/json</c>,
    /// <c>text/plain</c> (what browsers use to avoid a CORS preflight) or not at all.
    /// </summary>
    public Task<(byte[]? Body, IResult? Problem)> ReadJsonAsync(HttpRequest request, CancellationToken cancellationToken) =>
        IsJsonCompatible(request.ContentType)
            ? ReadAsync(request, cancellationToken)
            : Task.FromResult<(byte[]?, IResult?)>((null, Problems.UnsupportedMediaType(request.ContentType!, "send JSON as application/json or text/plain")));

    /// <summary>The body whatever its media type (the caller has checked it), or a 4xx problem.</summary>
    public async Task<(byte[]? Body, IResult? Problem)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        // The decompression middleware takes the header off what it inflates; one still here is one it does not know.
        if (request.Headers.ContentEncoding.ToString() is { Length: > 0 } encoding && !encoding.Equals("identity", StringComparison.OrdinalIgnoreCase))
        {
            return (null, Problems.UnsupportedContentEncoding(encoding));
        }

        if (request.ContentLength > _maxBytes)
        {
            return (null, TooLarge());
        }

        // Kestrel takes the chunked framing off; any other transfer coding (gzip, …) would reach us still encoded.
        if (request.Headers.TransferEncoding.ToString() is { Length: > 0 } codings
            && codings.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Any(c => !c.Equals("chunked", StringComparison.OrdinalIgnoreCase)))
        {
            return (null, Problems.BadRequest("Transfer-Encoding", $"'{codings}' is not supported; send the body as is or chunked."));
        }

        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = _maxBytes + 1L;
        }

        using var buffer = new MemoryStream(request.ContentLength is { } length ? (int)length : 4096);
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > _maxBytes)
                {
                    return (null, TooLarge());
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TooLarge());
        }
        catch (BadHttpRequestException e)
        {
            // Framing errors (bad chunks, a body that ends early) and bodies that stall (408) keep Kestrel's status.
            return (null, Problems.BadBody(e.StatusCode, e.Message));
        }
        catch (IOException e)
        {
            // Some framing errors surface as plain I/O errors (a chunk size that overflows, for one).
            return (null, Problems.BadBody(StatusCodes.Status400BadRequest, e.Message));
        }
        catch (Exception e) when (e is InvalidDataException or InvalidOperationException)
        {
            // Inflating failed: gzip and deflate say InvalidDataException, Brotli InvalidOperationException.
            return (null, Problems.BadRequest("Content-Encoding", "The body is not valid data of its declared encoding: " + e.Message));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return (buffer.ToArray(), null);
    }

    private Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult TooLarge() => Problems.TooLarge("body", $"The body exceeds the limit of {_maxBytes} bytes.");

    private static bool IsJsonCompatible(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return true;
        }

        if (!MediaTypeHeaderValue.TryParse(contentType, out var mediaType))
        {
            return false;
        }

        var type = mediaType.MediaType.Value ?? string.Empty;
        return type.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || type.Equals("text/plain", StringComparison.OrdinalIgnoreCase)
            || type.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
    }
}
