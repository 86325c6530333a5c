using Microsoft.Extensions.Configuration;
using Plant.Deploy.Tests.Support;
using Plant.Migrate;

namespace Plant.Deploy.Tests;

/// <summary>The Cloud Run job (deploy/ENV/migrate-job.yaml) through which CI migrates, held against the Migrate command line.</summary>
public sealed class MigrationJobTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>
{
    public static TheoryData<string> Environments() => [.. Descriptors.Environments];

    [Theory]
    [MemberData(nameof(Environments))]
    public async Task The_job_runs_this_commit_s_Migrate_command_line_with_the_settings_its_descriptor_gives(string environment)
    {
        var job = Descriptors.Job(environment);
        Assert.Equal($"plant-migrate-job-{environment}", job.Name);
        Assert.Equal(Descriptors.Service(environment, "migrate").Container.Image, job.Container.Image);
        Descriptors.AssertReachesItsDatabase(job.TemplateAnnotations);
        // Backups name the instance: it cannot be read from a DATABASE_URL that holds an address.
        Assert.Equal(CloudSqlInstance(environment), job.Container.Values["PLANT_CLOUDSQL_INSTANCE"]);
        Assert.Equal(CloudSqlInstance(environment), Descriptors.Service(environment, "migrate").Container.Values["PLANT_CLOUDSQL_INSTANCE"]);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(StandIns.Settings(job.Container, database.ConnectionString)).Build();

        // Its default arguments, and a plan: both only read, as every execution's first step does.
        foreach (var args in new[] { job.Container.Args.ToArray(), ["plan"] })
        {
            Assert.True(MigrateCommandLine.IsValid(args), $"{environment}: '{string.Join(' ', args)}' is not a Migrate command");
            using var output = new StringWriter();
            using var error = new StringWriter();
            var exitCode = await MigrateCommandLine.RunAsync(args, configuration, output, error);
            Assert.True(exitCode == MigrateCommandLine.Success, $"{environment}: '{string.Join(' ', args)}' exited {exitCode}: {error}{output}");
        }
    }

    [Fact]
    public void The_database_url_the_README_stores_is_one_Plant_reads()
    {
        var url = Plant.Core.Data.DatabaseUrl.Parse("postgresql://plant_migrator:a1b2c3@10.20.0.3:5432/plant?sslmode=require");

        Assert.Equal("10.20.0.3", url.Host);
        Assert.Equal(Npgsql.SslMode.Require, url.SslMode);
    }

    [Theory]
    [InlineData("up")]
    [InlineData("approve --checksum x --by github:x")]
    [InlineData("plan --to V0003")]
    public void A_command_the_command_line_takes_is_valid(string command)
    {
        Assert.True(MigrateCommandLine.IsValid(command.Split(' ')));
    }

    [Theory]
    [InlineData("")]
    [InlineData("migrate")]
    [InlineData("up --checksum x")]
    [InlineData("down")]
    [InlineData("plan --to latest")]
    [InlineData("approve --checksum")]
    public void A_command_it_does_not_take_is_not(string command)
    {
        Assert.False(MigrateCommandLine.IsValid(command.Split(' ', StringSplitOptions.RemoveEmptyEntries)));
    }

    private static string CloudSqlInstance(string environment) => $"{Descriptors.Variables["PROJECT_ID"]}:{Descriptors.Variables["REGION"]}:plant-{environment}";
}
