using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Plant.Core.Configuration;
using Plant.Core.Retention;
using Plant.Hosting;

namespace Plant.Migrate.Retention;

/// <summary>
/// The retention purge on its schedule (<c>PLANT_RETENTION_SCHEDULE</c>, daily at 03:00 UTC by default); on Cloud
/// Run, Cloud Scheduler calls <c>POST /admin/functions/PurgeExpiredData</c>. A database error fails the run, so the
/// host records it as failed; a run cut short by its time budget succeeds and the next one carries on.
/// </summary>
public sealed class PurgeExpiredData(RetentionPurge purge)
{
    /// <summary>The actor the audit trail records for scheduled runs.</summary>
    public const string Actor = "timer:" + nameof(PurgeExpiredData);

    [Function(nameof(PurgeExpiredData))]
    public async Task Run(
        [TimerTrigger("%" + RetentionSettings.ScheduleSetting + "%")] TimerInfo timer, FunctionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            await purge.RunAsync(new PurgeRequest { Actor = Actor }, cancellationToken);
        }
        catch (RetentionBusyException e)
        {
            // Someone ran it on demand at the same moment: that run covers this one.
            context.GetLogger<PurgeExpiredData>().LogInformation("{Message}", e.Message);
        }
    }
}
