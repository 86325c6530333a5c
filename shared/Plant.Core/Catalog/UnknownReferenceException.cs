namespace Plant.Core.Catalog;

/// <summary>An id a query was given to filter by names no current entity of its type. The message is safe to show.</summary>
public sealed class UnknownReferenceException(EntityType type, Guid id)
    : Exception($"'{id}' names no {type.DisplayName()} in the catalog.")
{
    /// <summary>The type the id should name.</summary>
    public EntityType Type { get; } = type;

    /// <summary>The id that names nothing of <see cref="Type"/>.</summary>
    public Guid Id { get; } = id;
}
