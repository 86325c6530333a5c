using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Plant.Metadata.Tests;

/// <summary>Functions written the ways Azure reads specially; never called.</summary>
public sealed class Samples
{
    /// <summary>No level: the attribute says Anonymous, Azure's metadata names none, and its host takes Function.</summary>
    [Function("SampleNoLevel")]
    public static string NoLevel([HttpTrigger("get")] HttpRequest request) => "";

    /// <summary>No methods: every method.</summary>
    [Function("SampleAllMethods")]
    public static string AllMethods([HttpTrigger(AuthorizationLevel.Admin, Route = "samples/all")] HttpRequest request) => "";

    [Function("SampleUnmonitored")]
    public static void Unmonitored([TimerTrigger("0 */5 * * * *", UseMonitor = false, RunOnStartup = true)] TimerInfo timer)
    {
    }

    [Function("SampleFiveFields")]
    public static void FiveFields([TimerTrigger("30 2 * * 1-5")] TimerInfo timer)
    {
    }
}
