using BenchmarkDotNet.Attributes;
using Plant.Core.Catalog;
using Plant.Core.Genesis;
using Plant.Core.Seed;
using Plant.Core.Signing;
using Plant.Testing;

namespace Plant.Genesis.Bench;

/// <summary>
/// What Genesis computes per entity version beyond validation: the content hash (canonical JSON of
/// <see cref="EntityContent"/> + SHA-256; target: 5 µs or less), which runs at every write, before every
/// certification and at every certificate verification; and a certificate (canonical payload + RSA-PSS signature).
/// The entity is a baseline agent at version 2 (four skills, a team, attributes), the shape the seed writes.
/// </summary>
[MemoryDiagnoser]
public class EntityContentBenchmarks
{
    private EntityContent _content = null!;
    private AgentDraft _draft = null!;
    private SigningKeyRing _keys = null!;
    private string _hash = null!;

    [GlobalSetup]
    public void Setup()
    {
        var entry = GenesisBaselineDrafts.All.First(e => e.Draft is AgentDraft { TeamId: not null, SkillIds.Count: >= 4 });
        _draft = (AgentDraft)entry.Draft;
        _content = new EntityContent(entry.EntityId, 2, new string('a', 64), _draft);
        _hash = _content.ComputeHash();
        _keys = TestSigningKeys.Ring();
    }

    [GlobalCleanup]
    public void Cleanup() => _keys.Dispose();

    /// <summary>The content hash of a version already read (the verifier's and the certifier's case).</summary>
    [Benchmark(Baseline = true)]
    public string ContentHash() => _content.ComputeHash();

    /// <summary>From a draft as received: normalise the id sets, then hash (the write's case).</summary>
    [Benchmark]
    public string ContentHashFromDraft() => new EntityContent(_content.EntityId, 2, _content.PreviousHash, _draft).ComputeHash();

    /// <summary>A certificate's canonical payload and its RSA-PSS SHA-256 signature with a 2048-bit key (local size; 4096 elsewhere costs about 6x).</summary>
    [Benchmark]
    public string Certificate()
    {
        var payload = Plant.Core.Genesis.Certificate.BuildPayload(Guid.CreateVersion7(), _content.EntityId, EntityType.Agent, 2, _hash, DateTimeOffset.UtcNow, _keys.ActiveKeyId);
        return _keys.Sign(payload).Value;
    }
}
