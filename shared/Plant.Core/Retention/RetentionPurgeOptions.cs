namespace Plant.Core.Retention;

/// <summary>Knobs the settings do not offer, for tests and the benchmark.</summary>
internal sealed record RetentionPurgeOptions
{
    /// <summary>Whether trial batches may skip foreign key checks where <see cref="ReferenceGuard"/> allows it.</summary>
    public bool AllowSkippingForeignKeyChecks { get; init; } = true;

    /// <summary>Every batch selects this many rows, instead of adapting to the statement target.</summary>
    public int? FixedBatchSize { get; init; }

    /// <summary>Overrides <see cref="Configuration.RetentionSettings.TimeBudget"/>.</summary>
    public TimeSpan? TimeBudget { get; init; }
}
