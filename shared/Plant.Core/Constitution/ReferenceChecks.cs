using Plant.Core.Catalog;
using static Plant.Core.Constitution.ConstitutionLimits;

namespace Plant.Core.Constitution;

/// <summary>Checks of the ids a draft refers to, against the facts the caller resolved.</summary>
internal static class ReferenceChecks
{
    /// <summary>
    /// Checks one reference: <paramref name="exists"/> is broken when the id is missing (if required), empty, or not
    /// a current entity of <paramref name="type"/>; <paramref name="inGoodStanding"/> when it is suspended or retired,
    /// or (when <paramref name="certificationRequired"/>) not certified. Returns the entity when it exists, whatever
    /// its standing, for checks that follow it.
    /// </summary>
    public static ReferencedEntity? Check(
        Guid? id, bool required, EntityType type, string field, Rule exists, Rule inGoodStanding,
        ReferenceFacts facts, ref ViolationCollector violations, bool certificationRequired = true)
    {
        if (id is null)
        {
            if (required)
            {
                violations.Add(exists, field, "None is given.");
            }

            return null;
        }

        return CheckId(id.Value, type, field, -1, exists, inGoodStanding, certificationRequired, facts, ref violations);
    }

    /// <summary>Checks every id of a list as <see cref="Check"/> does; the list's shape is <see cref="CheckListShape"/>'s.</summary>
    public static void CheckList(
        IReadOnlyList<Guid> ids, EntityType type, string field, Rule exists, Rule inGoodStanding,
        ReferenceFacts facts, ref ViolationCollector violations)
    {
        var count = Math.Min(ids.Count, MaxReferences);
        for (var i = 0; i < count; i++)
        {
            // The empty id is L0-REF-001's to report.
            if (ids[i] != Guid.Empty)
            {
                CheckId(ids[i], type, field, i, exists, inGoodStanding, certificationRequired: true, facts, ref violations);
            }
        }
    }

    /// <summary>L0-REF-001: at most <see cref="MaxReferences"/> ids, none empty, none twice.</summary>
    public static void CheckListShape(IReadOnlyList<Guid>? ids, string field, ref ViolationCollector violations)
    {
        if (ids is null)
        {
            return;
        }

        if (ids.Count > MaxReferences)
        {
            violations.Add(ConstitutionRules.ReferenceListShape, field, $"It has {ids.Count}.");
            return;
        }

        for (var i = 0; i < ids.Count; i++)
        {
            var id = ids[i];
            if (id == Guid.Empty)
            {
                violations.Add(ConstitutionRules.ReferenceListShape, ViolationCollector.Element(field, i), "This one is the empty id.");
                continue;
            }

            for (var j = 0; j < i; j++)
            {
                if (ids[j] == id)
                {
                    violations.Add(ConstitutionRules.ReferenceListShape, ViolationCollector.Element(field, i), $"This one repeats {field}[{j}].");
                    break;
                }
            }
        }
    }

    /// <summary>Whether <paramref name="ids"/> holds <paramref name="id"/>; a loop, as the lists are short.</summary>
    public static bool Contains(IReadOnlyList<Guid> ids, Guid id)
    {
        for (var i = 0; i < ids.Count; i++)
        {
            if (ids[i] == id)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Checks one id; <paramref name="index"/> is its place in the list <paramref name="field"/>, or -1 for a single reference.</summary>
    private static ReferencedEntity? CheckId(
        Guid id, EntityType type, string field, int index, Rule exists, Rule inGoodStanding, bool certificationRequired,
        ReferenceFacts facts, ref ViolationCollector violations)
    {
        if (id == Guid.Empty)
        {
            violations.Add(exists, Path(field, index), "The empty id refers to nothing.");
            return null;
        }

        if (!facts.TryGet(id, out var entity))
        {
            violations.Add(exists, Path(field, index), $"No current {type.DisplayName()} has the id {id}.");
            return null;
        }

        if (entity.Type != type)
        {
            violations.Add(exists, Path(field, index), $"The id {id} is a {entity.Type.DisplayName()}, not a {type.DisplayName()}.");
            return null;
        }

        if ((certificationRequired ? entity.Standing : entity.Withdrawal) is { } standing)
        {
            violations.Add(inGoodStanding, Path(field, index), $"The {type.DisplayName()} {id} is {standing}.");
        }

        return entity;
    }

    private static string Path(string field, int index) => index < 0 ? field : ViolationCollector.Element(field, index);
}
