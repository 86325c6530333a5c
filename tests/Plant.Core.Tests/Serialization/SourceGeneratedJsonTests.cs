using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Plant.Core.Audit;
using Plant.Core.Backups;
using Plant.Core.Catalog;
using Plant.Core.Configuration;
using Plant.Core.Constitution;
using Plant.Core.Genesis;
using Plant.Core.Migrations.Runs;
using Plant.Core.Trials;
using Plant.Core.Migrations.Smoke;

namespace Plant.Core.Tests.Serialization;

/// <summary>
/// Issue 20: Plant.Core's JSON goes through source-generated contexts and writes exactly what it wrote by
/// reflection. Each expectation here is the old reflection-based serialisation of the same value (an anonymous
/// object where the code had one), asked for explicitly, since reflection is off by default in this project.
/// </summary>
public sealed class SourceGeneratedJsonTests
{
    private static readonly JsonSerializerOptions s_reflection = new() { TypeInfoResolver = new DefaultJsonTypeInfoResolver() };
    private static readonly JsonSerializerOptions s_reflectionWeb = new(JsonSerializerDefaults.Web) { TypeInfoResolver = new DefaultJsonTypeInfoResolver() };

    private static readonly IReadOnlyList<Violation> s_violations =
    [
        new("C-001", Severity.Error, "name", "A name is required."),
        new("C-017", Severity.Warning, "tags[2]", "Tags are \"short\": é <b>"),
    ];

    [Fact]
    public void Reflection_based_serialisation_is_off_in_this_project()
    {
        Assert.False(JsonSerializer.IsReflectionEnabledByDefault);
        Assert.Throws<InvalidOperationException>(() => JsonSerializer.Serialize(new { a = 1 }));
    }

    [Fact]
    public void Violations_are_written_as_before()
    {
        var report = new ValidationReport(s_violations);

        Assert.Equal(JsonSerializer.Serialize(report.Violations, s_reflectionWeb), ViolationsJson.Serialize(report));
    }

    [Fact]
    public void Audit_details_of_entity_writes_are_written_as_the_anonymous_objects_they_replace()
    {
        var versionId = Guid.NewGuid();
        var summary = ViolationsJson.Summary(new ValidationReport(s_violations));
        var anonymousSummary = s_violations.Select(v => new { ruleId = v.RuleId, severity = v.Severity, field = v.Field }).ToArray<object>();

        Assert.Equal(
            JsonSerializer.Serialize(new { entityType = "job_role", version = 3, versionId, from = "active", to = "suspended" }, s_reflection),
            JsonSerializer.Serialize(new EntityStore.LifecycleDetails("job_role", 3, versionId, "active", "suspended"), GenesisJsonContext.Default.LifecycleDetails));
        Assert.Equal(
            JsonSerializer.Serialize(new
            {
                entityType = "agent", version = 2, versionId, contentHash = new string('a', 64), previousHash = (string?)null, status = "draft",
                violations = anonymousSummary,
            }, s_reflection),
            JsonSerializer.Serialize(
                new EntityStore.VersionDetails("agent", 2, versionId, new string('a', 64), null, "draft", summary), GenesisJsonContext.Default.VersionDetails));
        Assert.Equal(
            JsonSerializer.Serialize(new { reason = "content-hash-mismatch", recordedHash = "ab", recomputedHash = "cd" }, s_reflectionWeb),
            JsonSerializer.Serialize(new Certifier.HashMismatchDetails("content-hash-mismatch", "ab", "cd"), GenesisJsonContext.Default.HashMismatchDetails));
        Assert.Equal(
            JsonSerializer.Serialize(new { reason = "constitution", violations = anonymousSummary }, s_reflectionWeb),
            JsonSerializer.Serialize(new Certifier.RejectedDetails("constitution", summary), GenesisJsonContext.Default.RejectedDetails));
        Assert.Equal(
            JsonSerializer.Serialize(new { certificateId = versionId, keyId = "k1", issuedAt = "2026-01-02T03:04:05Z", warnings = anonymousSummary }, s_reflectionWeb),
            JsonSerializer.Serialize(new Certifier.CertifiedDetails(versionId, "k1", "2026-01-02T03:04:05Z", summary), GenesisJsonContext.Default.CertifiedDetails));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Audit_details_of_migrations_are_written_as_the_anonymous_objects_they_replace(bool full)
    {
        var runId = Guid.NewGuid();
        Guid? approvalId = full ? Guid.NewGuid() : null;
        DroppedTable[] drops = full ? [new("catalog.old", 12), new("catalog.older", 0)] : [];
        int[] ran = full ? [4, 5] : [];

        Assert.Equal(
            JsonSerializer.Serialize(new
            {
                runId, trigger = "http", outcome = "failed", environment = "uat", fromVersion = 3, toVersion = 3,
                targetVersion = full ? 5 : (int?)null, planChecksum = full ? "abc" : null,
                drops = drops.Select(d => new { table = d.Table, rows = d.Rows }), ran, undone = ran.Reverse().ToArray(), approvalId,
                backup = full ? "pg_dump /tmp/x.dump" : null, failureStage = full ? "smoke-check" : null, message = "Failed \"here\".",
            }, s_reflection),
            JsonSerializer.Serialize(new MigrationPipeline.RunDetails(
                runId, "http", "failed", "uat", 3, 3, full ? 5 : null, full ? "abc" : null,
                [.. drops.Select(d => new MigrationPipeline.DropDetails(d.Table, d.Rows))], ran, [.. ran.Reverse()], approvalId,
                full ? "pg_dump /tmp/x.dump" : null, full ? "smoke-check" : null, "Failed \"here\"."), RunsJsonContext.Default.RunDetails));
        Assert.Equal(
            JsonSerializer.Serialize(new
            {
                approvalId = runId, approvedBy = "ops", operation = "down", targetVersion = 2, planChecksum = "abc", versions = (IReadOnlyList<int>)ran,
                note = full ? "après" : null, expiresAt = "2026-01-02T03:04:05Z",
            }, s_reflection),
            JsonSerializer.Serialize(new MigrationPipeline.ApprovedDetails(runId, "ops", "down", 2, "abc", ran, full ? "après" : null, "2026-01-02T03:04:05Z"),
                RunsJsonContext.Default.ApprovedDetails));
    }

    [Fact]
    public void A_stored_run_report_is_written_and_read_as_before_with_every_enum_as_a_kebab_case_string()
    {
        var reflection = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
            TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        };
        var failure = new MigrationFailure(MigrationFailureStage.SmokeCheck, 5, "add skills", "select 1", 2, "boom");
        var report = new MigrationRunReport
        {
            RunId = Guid.NewGuid(),
            Trigger = MigrationTrigger.Schedule,
            Operation = MigrationOperation.Down,
            Outcome = MigrationRunOutcome.AwaitingApproval,
            Environment = PlantEnvironment.Local,
            Policy = MigrationPolicy.Auto,
            RequestedBy = "timer",
            StartedAt = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(1)),
            FinishedAt = new DateTimeOffset(2026, 1, 2, 3, 4, 6, TimeSpan.Zero),
            FromVersion = 4,
            ToVersion = 5,
            TargetVersion = 5,
            PlanChecksum = "abc",
            Migrations = [new PlannedMigration(5, "add skills", "def")],
            Drops = [new DroppedTable("catalog.old", 3)],
            Ran = [5],
            Undone = [5],
            ApprovalId = Guid.NewGuid(),
            Backup = new BackupResult("pg_dump", "/tmp/x.dump", 1024, 12, ["/tmp/old.dump"]),
            SmokeChecks = [new SmokeCheckResult("schema", SmokeCheckStatus.Failed, "missing")],
            Failure = failure,
            UndoFailure = failure with { Stage = MigrationFailureStage.Undo },
            Message = "It failed.",
            AuditEntry = new AuditEntry(7, DateTimeOffset.UnixEpoch, "ff"),
            AuditProblem = null,
        };

        var json = JsonSerializer.Serialize(report, MigrationRuns.JsonOptions);

        Assert.Equal(JsonSerializer.Serialize(report, reflection), json);
        Assert.Contains("\"outcome\":\"awaiting-approval\"", json, StringComparison.Ordinal);
        Assert.Contains("\"stage\":\"smoke-check\"", json, StringComparison.Ordinal);
        var back = JsonSerializer.Deserialize<MigrationRunReport>(json, MigrationRuns.JsonOptions)!;
        Assert.Equal(json, JsonSerializer.Serialize(back, MigrationRuns.JsonOptions));
        Assert.Equal(json, JsonSerializer.Serialize(JsonSerializer.Deserialize<MigrationRunReport>(json, reflection), MigrationRuns.JsonOptions));
    }

    [Fact]
    public void Every_enum_a_run_report_holds_has_its_string_converter()
    {
        // A new enum in the report must get its JsonStringEnumConverter<T> in MigrationRuns.JsonOptions, or it would be stored as a number.
        var seen = new HashSet<Type>();
        var enums = new List<Type>();
        Walk(MigrationRuns.JsonOptions.GetTypeInfo(typeof(MigrationRunReport)));

        Assert.NotEmpty(enums);
        Assert.All(enums, type =>
        {
            var value = Enum.GetValues(type).GetValue(0);
            Assert.StartsWith("\"", JsonSerializer.Serialize(value, type, MigrationRuns.JsonOptions), StringComparison.Ordinal);
        });

        void Walk(JsonTypeInfo info)
        {
            var type = Nullable.GetUnderlyingType(info.Type) ?? info.Type;
            if (!seen.Add(type))
            {
                return;
            }

            if (type.IsEnum)
            {
                enums.Add(type);
            }

            if (info.ElementType is { } element)
            {
                Walk(MigrationRuns.JsonOptions.GetTypeInfo(element));
            }

            foreach (var property in info.Properties)
            {
                Walk(MigrationRuns.JsonOptions.GetTypeInfo(property.PropertyType));
            }
        }
    }

    [Fact]
    public void Drafts_are_written_with_the_catalog_options_as_before()
    {
        var reflection = new JsonSerializerOptions(CatalogJson.Options) { TypeInfoResolver = new DefaultJsonTypeInfoResolver() };
        EntityDraft[] drafts =
        [
            new IndustryDraft { Name = "Energy", Code = "ENERGY", Attributes = JsonElement.Parse("""{"a": [1, "é"]}""") },
            new SkillDraft { Name = "Go", Category = "technical", Tags = ["lang"] },
            new JobRoleDraft { Name = "Analyst", Seniority = "mid", IndustryId = Guid.NewGuid(), RequiredSkillIds = [Guid.NewGuid()] },
            new TeamDraft { Name = "Blue", MemberAgentIds = [Guid.NewGuid()] },
            new AgentDraft { Name = "Sentinel", PricePerHour = 78.50m, SkillIds = [Guid.NewGuid()] },
        ];

        Assert.All(drafts, draft =>
        {
            Assert.Equal(JsonSerializer.Serialize(draft, reflection), JsonSerializer.Serialize(draft, CatalogJson.Options));
            Assert.Equal(JsonSerializer.Serialize(draft, draft.GetType(), reflection), JsonSerializer.Serialize(draft, draft.GetType(), CatalogJson.Options));
        });
    }

    [Theory]
    [InlineData(typeof(IndustryDraft))]
    [InlineData(typeof(SkillDraft))]
    [InlineData(typeof(JobRoleDraft))]
    [InlineData(typeof(TeamDraft))]
    [InlineData(typeof(AgentDraft))]
    public void A_draft_read_from_an_empty_object_is_the_draft_with_every_default(Type type)
    {
        // Source-generated metadata passes null for a missing init-only property (dotnet/runtime#84484); the drafts put their defaults back.
        var empty = Activator.CreateInstance(type);

        Assert.Equal(empty, JsonSerializer.Deserialize("{}", type, CatalogJson.Options));
        Assert.Equal(empty, CatalogJson.ReadDraft($$"""{"entityType": "{{((EntityDraft)empty!).EntityType.SchemaName()}}"}"""));
    }

    [Fact]
    public void A_stored_report_without_its_lists_reads_them_as_empty()
    {
        var report = JsonSerializer.Deserialize<MigrationRunReport>("""
            {"runId": "00000000-0000-0000-0000-000000000001", "trigger": "cli", "operation": "up", "outcome": "nothing-to-do",
             "environment": "local", "policy": "auto", "requestedBy": "me", "startedAt": "2026-01-02T03:04:05Z",
             "finishedAt": "2026-01-02T03:04:05Z", "fromVersion": 4, "toVersion": 4, "message": "Nothing to do."}
            """, MigrationRuns.JsonOptions)!;

        Assert.Equal(MigrationRunOutcome.NothingToDo, report.Outcome);
        Assert.All(new System.Collections.IEnumerable[] { report.Migrations, report.Drops, report.Ran, report.Undone, report.SmokeChecks }, Assert.Empty);
    }

    [Fact]
    public void The_trial_content_hash_dictionary_is_written_as_before()
    {
        var content = new SortedDictionary<string, object?>
        {
            ["agent_id"] = Guid.NewGuid(),
            ["cancelled_at"] = null,
            ["customer_ref"] = "cust+1 <é>",
            ["entity_type"] = "trial",
        };

        Assert.Equal(JsonSerializer.Serialize(content, s_reflection), JsonSerializer.Serialize(content, TrialsJsonContext.Default.SortedDictionaryStringObject));
    }
}
