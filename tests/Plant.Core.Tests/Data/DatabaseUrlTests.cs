using Npgsql;
using Plant.Core.Configuration;
using Plant.Core.Data;

namespace Plant.Core.Tests.Data;

public sealed class DatabaseUrlTests
{
    [Theory]
    [InlineData("postgresql://plant:secret@db.internal:6543/catalog", "db.internal", 6543, "plant", "secret", "catalog")]
    [InlineData("postgres://plant:secret@db.internal/catalog", "db.internal", 5432, "plant", "secret", "catalog")]
    [InlineData("postgresql+asyncpg://plant:secret@db.internal:5432/catalog", "db.internal", 5432, "plant", "secret", "catalog")]
    [InlineData("postgresql+psycopg2://plant:secret@[::1]:5433/catalog", "::1", 5433, "plant", "secret", "catalog")]
    [InlineData("Host=db.internal;Port=6543;Username=plant;Password=secret;Database=catalog", "db.internal", 6543, "plant", "secret", "catalog")]
    public void Parses_urls_and_keyword_strings(string url, string host, int port, string user, string password, string database)
    {
        var settings = DatabaseUrl.Parse(url);
        Assert.Equal((host, port, user, password, database), (settings.Host, settings.Port, settings.Username, settings.Password, settings.Database));
    }

    [Fact]
    public void Decodes_a_percent_encoded_password()
    {
        var settings = DatabaseUrl.Parse("postgresql://plant:20260101SD%2A%26%21@db:5432/plant");
        Assert.Equal("20260101SD*&!", settings.Password);
    }

    [Fact]
    public void Takes_the_cloud_sql_socket_from_the_host_query_parameter()
    {
        var settings = DatabaseUrl.Parse("postgresql+asyncpg://plant:pw@/plant?host=/cloudsql/my-project:europe-west1:plant-db");
        Assert.Equal("/cloudsql/my-project:europe-west1:plant-db", settings.Host);
        Assert.Equal("plant", settings.Database);
    }

    [Fact]
    public void An_at_sign_in_the_query_is_not_taken_for_the_user_part()
    {
        var settings = DatabaseUrl.Parse("postgresql://u:p@db/plant?application_name=a@b");
        Assert.Equal(("db", "u", "p", "a@b"), (settings.Host, settings.Username, settings.Password, settings.ApplicationName));
    }

    [Fact]
    public void Reads_ssl_mode_and_several_hosts()
    {
        var settings = DatabaseUrl.Parse("postgresql://u:p@a:5432,b:5433/plant?sslmode=require&application_name=plant-test");
        Assert.Equal("a:5432,b:5433", settings.Host);
        Assert.Equal(SslMode.Require, settings.SslMode);
        Assert.Equal("plant-test", settings.ApplicationName);
    }

    [Theory]
    [InlineData("", "is not set")]
    [InlineData("mysql://u:hunter2secret@h/db", "scheme 'mysql'")]
    [InlineData("postgresql://u:hunter2secret@h:port/db", "the port is not a number")]
    [InlineData("postgresql://u:hunter2secret@h:70000/db", "the port is not a number")]
    [InlineData("postgresql://u:hunter2secret/db", "the port is not a number")]
    [InlineData("postgresql://u:hunter2secret@h,/db", "empty host")]
    [InlineData("Host=h;Password=ab;hunter2secret=1", "not a valid Npgsql connection string")]
    [InlineData("postgresql://u:hunter2secret@/db", "names no host")]
    [InlineData("postgresql://u:hunter2secret@h/db?sslmode=sometimes", "'sslmode'")]
    [InlineData("postgresql://u:hunter2secret@h/db?colour=blue", "'colour' is not supported")]
    [InlineData("Host=h;Password=hunter2secret;Bogus=1", "not a valid Npgsql connection string")]
    public void A_bad_url_names_the_wrong_part_and_never_the_password(string url, string expected)
    {
        var error = Assert.Throws<ConfigurationException>(() => DatabaseUrl.Parse(url));
        Assert.Equal("DATABASE_URL", error.Setting);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2secret", error.Message, StringComparison.Ordinal);
    }
}
