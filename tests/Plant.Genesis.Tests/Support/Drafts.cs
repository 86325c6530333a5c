using Plant.Core.Seed;

namespace Plant.Genesis.Tests.Support;

/// <summary>
/// Request bodies of drafts that pass the constitution, referring to the seeded baseline, each with a name no
/// other test uses. Anonymous objects, sent as camelCase JSON.
/// </summary>
public static class Drafts
{
    public static readonly Guid FinancialServices = SeedIds.Entity("industry", "Financial Services");
    public static readonly Guid FraudDetection = SeedIds.Entity("skill", "Fraud Detection");
    public static readonly Guid SqlModeling = SeedIds.Entity("skill", "SQL and Data Modeling");
    public static readonly Guid ReportWriting = SeedIds.Entity("skill", "Report Writing");
    public static readonly Guid FraudAnalyst = SeedIds.Entity("job_role", "Fraud Analyst");

    /// <summary>A seeded Fraud Analyst agent without a team.</summary>
    public static readonly Guid TakeoverGuard = SeedIds.Entity("agent", "Takeover Guard");

    /// <summary>A name nobody else has: <paramref name="prefix"/> and six random letters.</summary>
    public static string Name(string prefix) =>
        prefix + " " + string.Concat(Enumerable.Range(0, 6).Select(_ => (char)('a' + Random.Shared.Next(26))));

    public static object Industry(string? name = null) => new
    {
        name = name ?? Name("Maritime Logistics"),
        description = "Shipping lines, ports and freight forwarders moving containers between continents on schedule.",
        code = "MARITIME",
        tags = new[] { "test" },
        attributes = new { region = "global", ports = 12 },
    };

    public static object Skill(string? name = null, string category = "analytical") => new
    {
        name = name ?? Name("Ledger Reconciliation"),
        description = "Matches bank statements against the general ledger and explains every difference that remains.",
        category,
    };

    public static object JobRole(string? name = null, Guid[]? skills = null) => new
    {
        name = name ?? Name("Reconciliation Clerk"),
        description = "Reconciles accounts at month end and reports open items to the controller with clear evidence.",
        seniority = "mid",
        industryId = FinancialServices,
        requiredSkillIds = skills ?? [FraudDetection],
    };

    public static object Agent(
        string? name = null, decimal price = 42.50m, string description = "Watches card payments around the clock and blocks transactions that look like account takeover.",
        Guid? teamId = null) => new
    {
        name = name ?? Name("Vigilant"),
        description,
        industryId = FinancialServices,
        jobRoleId = FraudAnalyst,
        teamId,
        skillIds = new[] { FraudDetection, SqlModeling, ReportWriting },
        availability = "available",
        pricePerHour = price,
        currency = "USD",
    };

    public static object Team(string? name = null, Guid[]? members = null) => new
    {
        name = name ?? Name("Night Watch Team"),
        description = "Fraud analysts on the night shift who review alerts raised while the day team is offline.",
        jobRoleId = FraudAnalyst,
        memberAgentIds = members ?? [TakeoverGuard],
    };
}
