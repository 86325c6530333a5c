using System.Data;
using Dapper;
using Npgsql;

namespace Plant.Core.Data;

/// <summary>
/// An array sent to PostgreSQL as one parameter (<c>= any(@ids)</c>, <c>unnest(@names)</c>).
/// Dapper.AOT treats a plain array member as an <c>in @ids</c> list to expand, and hands it to vanilla Dapper's
/// <c>SqlMapper</c>, whose reflection fails a Native AOT publish. A member of this type adds itself instead.
/// </summary>
internal readonly record struct PgArray<T>(T[] Values) : SqlMapper.ICustomQueryParameter
{
    public void AddParameter(IDbCommand command, string name) =>
        command.Parameters.Add(new NpgsqlParameter<T[]>(name, Values));
}

internal static class PgArray
{
    public static PgArray<T> Of<T>(IEnumerable<T> values) => new(values as T[] ?? [.. values]);
}
