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
using Plant.Migrate.Migrations;

namespace Plant.Migrate;

/// <summary>The Migrate function app: its functions and the services they need.</summary>
public static class MigrateApp
{
    public static FunctionApp Definition { get; } = FunctionApp
        .FromAssembly("Migrate", typeof(MigrateApp).Assembly, ConfigureServices)
        .WithDefaultSettings(new Dictionary<string, string?>
        {
            [MigrationSettings.ScheduleSetting] = MigrationSettings.DefaultSchedule,
            [RetentionSettings.ScheduleSetting] = RetentionSettings.DefaultSchedule,
        });

    private static void ConfigureServices(IServiceCollection services, IConfiguration configuration)
    {
        // Built here rather than on first use, so that a backup setting that cannot work stops start-up with its name.
        var settings = PlantSettings.Load(configuration);
        var backup = DatabaseBackups.Create(settings.Migrations, PlantDataSource.ReadConnectionSettings(configuration, "plant-migrate"), TimeProvider.System);
        // A refused plan, approval or run (an unknown target, a plan that changed) is an answer to the operator.
        services.AddProblemFor<MigrationRefusedException>(MigrationRoutes.ForRefusal);
        services.TryAddSingleton(MigrationSet.Embedded);
        services.AddSingleton(sp => new MigrationPipeline(
            sp.GetRequiredService<NpgsqlDataSource>(),
            sp.GetRequiredService<MigrationSet>(),
            sp.GetRequiredService<PlantSettings>(),
            backup,
            sp.GetRequiredService<TimeProvider>(),
            audit: sp.GetRequiredService<AuditTrail>()));

        // Migration runs and approvals, and the retention purge's runs, are recorded in the audit trail; the purge
        // also signs the checkpoints it cuts the chain at.
        // The key is loaded here so that a missing one stops start-up with its setting's name; TryAdd because
        // locally all apps share one process and Genesis registers the same services.
        services.TryAddSingleton(SigningKeyRing.Load(configuration, settings));
        services.TryAddSingleton<AuditTrail>();
        services.TryAddSingleton<RetentionPurge>();
    }
}
