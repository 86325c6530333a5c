namespace Plant.Core.Constitution;

/// <summary>
/// The database facts that the L1 rules (and name uniqueness) need for one draft, resolved by the caller before
/// validation (<see cref="ReferenceFactsQuery"/>), so that validation itself stays pure and fast.
/// </summary>
public sealed class ReferenceFacts
{
    private readonly Dictionary<Guid, ReferencedEntity> _entities;

    /// <param name="entities">The entities the draft refers to (more are harmless).</param>
    /// <param name="nameTaken">Whether another current entity of the draft's type has the draft's name.</param>
    public ReferenceFacts(IEnumerable<ReferencedEntity> entities, bool nameTaken)
    {
        ArgumentNullException.ThrowIfNull(entities);
        _entities = [];
        foreach (var entity in entities)
        {
            _entities[entity.Id] = entity;
        }

        NameTaken = nameTaken;
    }

    private ReferenceFacts(Dictionary<Guid, ReferencedEntity> entities, bool nameTaken)
    {
        _entities = entities;
        NameTaken = nameTaken;
    }

    /// <summary>No entity exists and no name is taken: every reference of a draft checked against it is missing.</summary>
    public static ReferenceFacts None { get; } = new(Array.Empty<ReferencedEntity>(), nameTaken: false);

    /// <summary>Whether another current entity of the draft's type has the draft's name (case-insensitively).</summary>
    public bool NameTaken { get; }

    /// <summary>The entities known, by id.</summary>
    public IReadOnlyCollection<ReferencedEntity> Entities => _entities.Values;

    /// <summary>The same entities with another answer for the name: one set of facts can serve many drafts.</summary>
    public ReferenceFacts WithNameTaken(bool nameTaken) => nameTaken == NameTaken ? this : new(_entities, nameTaken);

    /// <summary>The entity with this id, whatever its type; false when no current version exists.</summary>
    public bool TryGet(Guid id, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out ReferencedEntity entity) =>
        _entities.TryGetValue(id, out entity);
}
