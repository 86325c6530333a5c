using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;
using Plant.Core.Embeddings;

namespace Plant.Core.Agents.Search;

/// <summary>
/// Names the configured embedder, so that vectors stored by one embedder are never compared with another's
/// (docs/EMBEDDINGS.md: changing the embedder means re-embedding).
/// </summary>
public static class EmbedderIdentity
{
    /// <summary>
    /// <see cref="MiniLmEmbedder.Identity"/> (the model and its package's version), <c>hashing:</c> and a fingerprint
    /// of the hashing embedder's output (a change of its algorithm changes it), or <c>http:</c> and the model name.
    /// </summary>
    public static string FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration[Embedders.KindSetting]?.Trim().ToUpperInvariant() switch
        {
            "HTTP" => "http:" + configuration[Embedders.ModelSetting]?.Trim(),
            "HASHING" => Hashing,
            _ => MiniLmEmbedder.Identity,
        };
    }

    /// <summary>The identity of <see cref="FeatureHashingEmbedder"/>.</summary>
    public static string Hashing { get; } = "hashing:" + Convert.ToHexStringLower(SHA256.HashData(
        ToBytes(FeatureHashingEmbedder.Embed("Plant embedder fingerprint: invoices, invoicing, autoscaling."))))[..16];

    private static byte[] ToBytes(float[] vector)
    {
        var bytes = new byte[vector.Length * sizeof(float)];
        Buffer.BlockCopy(vector, 0, bytes, 0, bytes.Length);
        return bytes;
    }
}
