using Npgsql;

// PORT and DATABASE_URL (an Npgsql connection string), as the function apps read them; GET /api/bare answers the
// database's answer to one query, read over a pooled connection as the apps read theirs; GET /api/hello answers
// without the database, the floor of ASP.NET Core's own start.
var builder = WebApplication.CreateSlimBuilder(args);
builder.WebHost.UseUrls($"http://0.0.0.0:{Environment.GetEnvironmentVariable("PORT") ?? "8080"}");
await using var database = new NpgsqlSlimDataSourceBuilder(Environment.GetEnvironmentVariable("DATABASE_URL")).Build();

var app = builder.Build();
app.MapGet("/api/bare", async (CancellationToken cancellationToken) =>
{
    await using var command = database.CreateCommand("select count(*) from pg_catalog.pg_class");
    return Results.Text($"{await command.ExecuteScalarAsync(cancellationToken)}");
});
app.MapGet("/api/hello", () => "hello");
await app.RunAsync();
