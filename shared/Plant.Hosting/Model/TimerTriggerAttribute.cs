namespace Plant.Hosting;

/// <summary>
/// Binds a <see cref="TimerInfo"/> parameter and runs the function on an NCRONTAB schedule: six fields with
/// seconds first, or classic five-field cron; <c>%SettingName%</c> reads the schedule from a setting.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false)]
public sealed class TimerTriggerAttribute(string schedule) : Attribute
{
    public string Schedule { get; } = schedule;

    /// <summary>Also run once each time the host starts.</summary>
    public bool RunOnStartup { get; set; }
}
