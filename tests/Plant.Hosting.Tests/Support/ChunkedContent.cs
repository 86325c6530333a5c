using System.Net;

namespace Plant.Hosting.Tests.Support;

/// <summary>A body of unknown length, so that HttpClient sends it chunked, without Content-Length.</summary>
internal sealed class ChunkedContent : HttpContent
{
    private readonly byte[] _bytes;

    public ChunkedContent(byte[] bytes, string? mediaType)
    {
        _bytes = bytes;
        if (mediaType is not null)
        {
            Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(mediaType);
        }
    }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        // Several writes, so the body really goes out as several chunks.
        for (var offset = 0; offset < _bytes.Length; offset += 64)
        {
            await stream.WriteAsync(_bytes.AsMemory(offset, Math.Min(64, _bytes.Length - offset)));
            await stream.FlushAsync();
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
