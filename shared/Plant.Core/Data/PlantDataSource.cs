using System.Globalization;
using Microsoft.Extensions.Configuration;
using Npgsql;
using Pgvector.Npgsql;
using Plant.Core.Configuration;

namespace Plant.Core.Data;

/// <summary>Builds the one <see cref="NpgsqlDataSource"/> a process uses.</summary>
public static class PlantDataSource
{
    /// <summary>The pool size setting's name.</summary>
    public const string PoolSizeSetting = "PLANT_DB_POOL_SIZE";

    /// <summary>
    /// Small on purpose: Cloud SQL's smallest tier allows 50 connections for all instances of all functions.
    /// </summary>
    public const int DefaultPoolSize = 5;

    /// <summary>Reads <c>DATABASE_URL</c> (or <c>DATABASE_URL_FILE</c>) and <c>PLANT_DB_POOL_SIZE</c>.</summary>
    /// <exception cref="ConfigurationException">A setting is missing or malformed.</exception>
    public static NpgsqlConnectionStringBuilder ReadConnectionSettings(IConfiguration configuration, string applicationName)
    {
        var builder = DatabaseUrl.Parse(configuration[DatabaseUrl.SettingName]);
        var poolSize = configuration[PoolSizeSetting];
        builder.MaxPoolSize = string.IsNullOrEmpty(poolSize)
            ? DefaultPoolSize
            : int.TryParse(poolSize, NumberStyles.None, CultureInfo.InvariantCulture, out var size) && size is >= 1 and <= 100
                ? size
                : throw new ConfigurationException(PoolSizeSetting, $"'{poolSize}' is not a whole number between 1 and 100.");
        builder.MinPoolSize = 0;
        if (string.IsNullOrEmpty(builder.ApplicationName))
        {
            builder.ApplicationName = applicationName;
        }

        return builder;
    }

    /// <summary>
    /// Creates the data source; connections open lazily, so this does not touch the network. Its sessions run with
    /// PostgreSQL's JIT compiler off (<c>jit=off</c> added to <c>Options</c>), and pgvector's <c>vector</c> maps to
    /// <see cref="Pgvector.Vector"/> where the database has the extension.
    /// </summary>
    /// <remarks>
    /// Plant's statements are short and run many times. JIT compiles a statement on every execution whose
    /// estimated cost passes <c>jit_above_cost</c>, which a table that has never been analysed easily makes it: the
    /// audit append then spent 8 ms compiling for well under 1 ms of work (docs/BENCHMARKS.md, "Audit appends").
    /// </remarks>
    public static NpgsqlDataSource Create(NpgsqlConnectionStringBuilder settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var builder = new NpgsqlConnectionStringBuilder(settings.ConnectionString);
        builder.Options = string.IsNullOrWhiteSpace(builder.Options) ? "-c jit=off" : $"{builder.Options} -c jit=off";
        var dataSource = new NpgsqlDataSourceBuilder(builder.ConnectionString);
        dataSource.UseVector();
        return dataSource.Build();
    }
}
