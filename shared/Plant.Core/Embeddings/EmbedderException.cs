namespace Plant.Core.Embeddings;

/// <summary>
/// The embedding service failed or answered something unusable. The message says what and names the endpoint;
/// it never contains the API key.
/// </summary>
public sealed class EmbedderException : Exception
{
    public EmbedderException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
