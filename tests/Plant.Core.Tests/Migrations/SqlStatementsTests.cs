using Plant.Core.Migrations;

namespace Plant.Core.Tests.Migrations;

public sealed class SqlStatementsTests
{
    [Fact]
    public void Splits_at_top_level_semicolons_only()
    {
        const string Sql = """
            -- plant:no-transaction
            create index concurrently a on t (x); -- trailing; comment
            insert into t values ('a;b', 'it''s;');
            /* block; comment */ select "we;ird" from t;
            do $$ begin perform 1; end $$;
            create function f() returns int language sql as $body$ select 1; $body$;
            select $1
            """;

        var statements = SqlStatements.Split(Sql);

        Assert.Equal(6, statements.Count);
        Assert.StartsWith("-- plant:no-transaction\ncreate index concurrently a on t (x)", statements[0], StringComparison.Ordinal);
        Assert.Contains("'it''s;'", statements[1], StringComparison.Ordinal);
        Assert.EndsWith("select \"we;ird\" from t", statements[2], StringComparison.Ordinal);
        Assert.Equal("do $$ begin perform 1; end $$", statements[3]);
        Assert.EndsWith("$body$ select 1; $body$", statements[4], StringComparison.Ordinal);
        Assert.Equal("select $1", statements[5]);
    }

    [Fact]
    public void The_no_transaction_marker_must_be_the_first_line()
    {
        Assert.False(new Migration(1, "x", "-- plant:no-transaction\nselect 1;", null).UpInTransaction);
        Assert.True(new Migration(1, "x", "select 1;\n-- plant:no-transaction\n", null).UpInTransaction);
    }

    [Fact]
    public void Checksums_ignore_line_ending_style()
    {
        Assert.Equal(Migration.ComputeChecksum("select 1;\nselect 2;\n"), Migration.ComputeChecksum("select 1;\r\nselect 2;\r\n"));
        Assert.NotEqual(Migration.ComputeChecksum("select 1;"), Migration.ComputeChecksum("select 2;"));
    }
}
