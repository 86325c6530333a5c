using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using Plant.Core.Audit;
using Plant.Core.Backups;
using Plant.Core.Configuration;
using Plant.Core.Data;
using Plant.Core.Migrations;
using Plant.Core.Migrations.Runs;
using Plant.Core.Retention;
using Plant.Core.Signing;
using Plant.Hosting;
using Plant.Migrate.Wire;
using Plant.Migrate.Migrations;

namespace Plant.Migrate;

/// <summary>The Migrate function app: its functions and the services they need.</summary>
public static class MigrateApp
{
    public static FunctionApp Definition { get; } = FunctionApp
        .FromAssembly("Migrate", typeof(MigrateApp).Assembly, ConfigureServices, MigrateJson.Default)
        .WithDefaultSettings(new Dictionary<string, string?>
        {
            [MigrationSettings.ScheduleSetting] = MigrationSettings.DefaultSchedule,
            [RetentionSettings.ScheduleSetting] = RetentionSettings.DefaultSchedule,
        });

    private static void ConfigureServices(IServiceCollection services, IConfiguration configuration)
    {
        // Read and checked here, not on first use, so that start-up names every missing or bad setting this app
        // uses (a backup that cannot work, a missing signing key). TryAdd: locally all apps share one process.
        var problems = new SettingsProblems();
        var settings = problems.Read(() => PlantSettings.Load(configuration).RequireRetentionDays(), null);
        var database = problems.Read(() => PlantDataSource.ReadConnectionSettings(configuration, "plant-migrate"), null);
        var backup = settings is null || database is null ? null : problems.Read(() => DatabaseBackups.Create(settings.Migrations, database, TimeProvider.System), null);
        // Migration runs and approvals, and the retention purge's runs, are recorded in the audit trail; the purge
        // also signs the checkpoints it cuts the chain at.
        var keys = settings is null ? null : problems.Read(() => SigningKeyRing.Load(configuration, settings), null);
        problems.ThrowIfAny();

        services.TryAddSingleton(settings!);
        services.TryAddSingleton(_ => PlantDataSource.Create(database!));
        services.TryAddSingleton(keys!);
        // A refused plan, approval or run (an unknown target, a plan that changed) is an answer to the operator.
        services.AddProblemFor<MigrationRefusedException>(MigrationRoutes.ForRefusal);
        services.TryAddSingleton(MigrationSet.Embedded);
        services.AddSingleton(sp => new MigrationPipeline(
            sp.GetRequiredService<NpgsqlDataSource>(),
            sp.GetRequiredService<MigrationSet>(),
            settings!,
            backup,
            sp.GetRequiredService<TimeProvider>(),
            audit: sp.GetRequiredService<AuditTrail>()));
        services.TryAddSingleton<AuditTrail>();
        services.TryAddSingleton<RetentionPurge>();
    }
}
