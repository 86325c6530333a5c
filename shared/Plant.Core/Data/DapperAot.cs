using System.Data.Common;
using Dapper;

// Every Dapper call in Plant.Core is generated at compile time (Dapper.AOT's interceptors): no reflection, no emit.
[module: DapperAot]
[module: TypeHandler(typeof(DateTimeOffset), typeof(Plant.Core.Data.TimestampHandler))]

namespace Plant.Core.Data;

/// <summary>timestamptz as DateTimeOffset: Npgsql reports the column as DateTime, yet reads it as either.</summary>
internal sealed class TimestampHandler : DbValueHandler<DateTimeOffset>
{
    public override DateTimeOffset Parse(DbDataReader reader, int ordinal, int token) => reader.GetFieldValue<DateTimeOffset>(ordinal);

    protected override DateTimeOffset Parse(object? value) => value switch
    {
        DateTimeOffset offset => offset,
        DateTime time => new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc)),
        _ => throw new InvalidCastException($"Not a timestamp: {value?.GetType().Name ?? "null"}."),
    };

    protected override void SetValueCore(DbParameter parameter, DateTimeOffset value) => parameter.Value = value;
}
