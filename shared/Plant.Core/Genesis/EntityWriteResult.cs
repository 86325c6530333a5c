using Plant.Core.Constitution;

namespace Plant.Core.Genesis;

/// <summary>How a write to an entity ended.</summary>
public enum WriteOutcome
{
    /// <summary>Written: a new entity, a new version, or a lifecycle change.</summary>
    Written,

    /// <summary>Nothing to do: the entity is already in the state asked for (a repeated suspend or retire).</summary>
    Unchanged,

    /// <summary>No entity of that type has that id.</summary>
    NotFound,

    /// <summary>The If-Match version is not the current version.</summary>
    PreconditionFailed,

    /// <summary>The entity's state does not allow it (amending a retired entity, suspending a draft).</summary>
    Conflict,

    /// <summary>The draft cannot be stored (<see cref="DraftCheck.Errors"/>); nothing was written.</summary>
    Rejected,
}

/// <summary>What a write did, and what the caller needs to answer.</summary>
public sealed record EntityWriteResult(WriteOutcome Outcome)
{
    /// <summary>The entity's current version after the write (Written, Unchanged, Conflict, PreconditionFailed).</summary>
    public EntityVersion? Entity { get; init; }

    /// <summary>The draft's check (create and amend): storage errors and the constitution's report.</summary>
    public DraftCheck? Check { get; init; }

    /// <summary>Why a Conflict, in words.</summary>
    public string? Detail { get; init; }
}

/// <summary>What a draft was found to be: storable or not, and what the constitution says of it.</summary>
/// <param name="Errors">What the schema cannot store; a draft with any is not written.</param>
/// <param name="Report">Every constitution violation; a stored draft keeps them until certification.</param>
public sealed record DraftCheck(IReadOnlyList<FieldError> Errors, ValidationReport Report)
{
    /// <summary>True when the draft can be written as a version.</summary>
    public bool Storable => Errors.Count == 0;
}
