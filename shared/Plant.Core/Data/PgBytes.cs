using System.Data;
using Dapper;
using Npgsql;

namespace Plant.Core.Data;

/// <summary>
/// Bytes sent to PostgreSQL as one <c>bytea</c> parameter. Dapper.AOT takes a plain <c>byte[]</c> member for a list
/// to expand, like any array (<see cref="PgArray{T}"/>), and hands it to vanilla Dapper's <c>SqlMapper</c>, whose
/// reflection fails a Native AOT publish. A member of this type adds itself instead.
/// </summary>
internal readonly record struct PgBytes(byte[] Value) : SqlMapper.ICustomQueryParameter
{
    public void AddParameter(IDbCommand command, string name) =>
        command.Parameters.Add(new NpgsqlParameter<byte[]>(name, Value));
}
