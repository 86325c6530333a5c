using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Plant.Core.Canonical;

namespace Plant.Genesis.Bench;

/// <summary>
/// Canonical JSON + SHA-256 of a typical catalog entity (target: 5 µs or less), from the forms Genesis may
/// hold it in: a parsed document, the request text, or fields written straight into the canonical writer.
/// </summary>
[MemoryDiagnoser]
public class CanonicalJsonBenchmarks
{
    private readonly byte[] _text = Encoding.UTF8.GetBytes(CatalogEntityJson.Agent);
    private JsonDocument _document = null!;
    private byte[] _canonical = null!;

    [GlobalSetup]
    public void Setup()
    {
        _document = JsonDocument.Parse(_text);
        _canonical = CanonicalJson.Serialize(_document.RootElement);
    }

    [GlobalCleanup]
    public void Cleanup() => _document.Dispose();

    /// <summary>The hash alone, over the entity's canonical bytes (about 1 KB): the floor under the others.</summary>
    [Benchmark(Baseline = true)]
    public string Sha256Only() => CanonicalJson.Sha256Hex(_canonical);

    /// <summary>A parsed JsonElement to canonical bytes and their SHA-256.</summary>
    [Benchmark]
    public string FromElement()
    {
        using var writer = new CanonicalJsonWriter(2048);
        writer.WriteValue(_document.RootElement);
        return writer.Sha256Hex();
    }

    /// <summary>Request text (UTF-8) parsed, canonicalised and hashed.</summary>
    [Benchmark]
    public string FromText() => CanonicalJson.Sha256Hex(CanonicalJson.Canonicalize(_text));

    /// <summary>Fields written into the canonical writer in declaration order (sorted when each object ends).</summary>
    [Benchmark]
    public string FromWriter()
    {
        using var writer = new CanonicalJsonWriter(2048);
        writer.WriteStartObject();
        writer.WriteString("entityId", "5f0c7a8e-2f7d-4c1e-9b4a-0f3e6d2c1b7a");
        writer.WriteString("entityType", "agent");
        writer.WriteNumber("version", 3);
        writer.WriteString("supersedes", "8d1e4b2c-6a3f-4e7d-8c9b-1a2b3c4d5e6f");
        writer.WriteString("name", "Claims Triage Agent");
        writer.WriteString("description", "Reads incoming insurance claims, extracts policy numbers, dates and amounts, checks them against the policy record and routes each claim to the right adjuster queue with a short summary of what is missing.");
        writer.WriteString("status", "draft");
        writer.WriteString("industryId", "0b6f5e4d-3c2b-4a19-8807-f6e5d4c3b2a1");
        writer.WriteString("jobRoleId", "7c6b5a49-3827-4165-9fed-cba987654321");
        writer.WriteString("seniority", "senior");
        writer.WriteStartArray("skills");
        writer.WriteString("11111111-2222-4333-8444-555555555555");
        writer.WriteString("22222222-3333-4444-8555-666666666666");
        writer.WriteString("33333333-4444-4555-8666-777777777777");
        writer.WriteString("44444444-5555-4666-8777-888888888888");
        writer.WriteEndArray();
        writer.WriteStartArray("tags");
        foreach (var tag in (ReadOnlySpan<string>)["insurance", "claims", "triage", "routing", "summaries"])
        {
            writer.WriteString(tag);
        }

        writer.WriteEndArray();
        writer.WriteValue("attributes", _document.RootElement.GetProperty("attributes"));
        writer.WriteString("createdBy", "function-1");
        writer.WriteString("createdAt", "2026-01-14T12:30:45.123456Z");
        writer.WriteEndObject();
        return writer.Sha256Hex();
    }

    /// <summary>What System.Text.Json alone costs to write the document (not canonical): for comparison.</summary>
    [Benchmark]
    public byte[] SystemTextJsonWriteOnly()
    {
        using var stream = new MemoryStream(2048);
        using (var writer = new Utf8JsonWriter(stream))
        {
            _document.RootElement.WriteTo(writer);
        }

        return SHA256.HashData(stream.GetBuffer().AsSpan(0, (int)stream.Length));
    }
}
