using Plant.Core.Catalog;
using Plant.Core.Constitution;
using static Plant.Core.Tests.Constitution.Baseline;

namespace Plant.Core.Tests.Constitution;

/// <summary>One draft checked against one rule: it either breaks the rule (at <see cref="Field"/>) or passes every rule.</summary>
internal sealed record RuleCase(string RuleId, bool Breaks, string? Field, EntityDraft Draft, ReferenceFacts Facts);

/// <summary>
/// The table of rule cases: for every rule, drafts that break it and drafts that pass (a passing draft breaks no
/// rule at all, so the table also guards against false positives). Each starts from a valid baseline draft and
/// changes one thing.
/// </summary>
internal static class RuleCases
{
    private static readonly Dictionary<string, RuleCase> s_cases = Build();

    public static IReadOnlyDictionary<string, RuleCase> All => s_cases;

    /// <summary>A sentence long enough to be a description, around <paramref name="text"/>.</summary>
    private static string Sentence(string text) => $"Handles routine work for the operations team; note: {text} (end of note).";

    private static Dictionary<string, RuleCase> Build()
    {
        var cases = new Dictionary<string, RuleCase>();
        void Breaks(string rule, string name, string? field, EntityDraft draft, ReferenceFacts? facts = null) =>
            cases.Add($"{rule} breaks: {name}", new RuleCase(rule, true, field, draft, facts ?? Facts));
        void Passes(string rule, string name, EntityDraft draft, ReferenceFacts? facts = null) =>
            cases.Add($"{rule} passes: {name}", new RuleCase(rule, false, null, draft, facts ?? Facts));

        var agent = Agent;
        var team = Team;
        var role = JobRole;
        var industryId = Id(EntityType.Industry, "Financial Services");
        var healthcareId = Id(EntityType.Industry, "Healthcare");
        var fraudDetection = Id(EntityType.Skill, "Fraud Detection");
        var fraudAnalyst = Id(EntityType.JobRole, "Fraud Analyst");
        var medicalCoder = Id(EntityType.JobRole, "Medical Coder");
        var fraudTeam = Id(EntityType.Team, "Fraud Response Team");
        var codingTeam = Id(EntityType.Team, "Revenue Cycle Coding Team");
        var sentinel = Id(EntityType.Agent, "Sentinel");
        var codeClinic = Id(EntityType.Agent, "Code Clinic");
        var unknown = Guid.Parse("0b5d3c1e-7f00-4a4e-9a53-000000000001");

        // L0-NAME
        Breaks("L0-NAME-001", "empty name", "name", agent with { Name = "" });
        Breaks("L0-NAME-001", "white-space name", "name", Skill with { Name = "   " });
        Passes("L0-NAME-001", "baseline name", agent);
        Breaks("L0-NAME-002", "leading space", "name", agent with { Name = " Sentinel" });
        Breaks("L0-NAME-002", "trailing no-break space", "name", Industry with { Name = "Energy\u00A0" });
        Passes("L0-NAME-002", "inner spaces", agent with { Name = "Sentinel Prime Two" });
        Breaks("L0-NAME-003", "one character", "name", agent with { Name = "S" });
        Breaks("L0-NAME-003", "121 characters", "name", agent with { Name = new string('a', 121) });
        Passes("L0-NAME-003", "two characters", agent with { Name = "S2" });
        Passes("L0-NAME-003", "120 characters", agent with { Name = new string('a', 120) });
        Breaks("L0-NAME-004", "NUL", "name", agent with { Name = "Sen\0tinel" });
        Breaks("L0-NAME-004", "line break", "name", agent with { Name = "Sen\ntinel" });
        Breaks("L0-NAME-004", "zero-width space", "name", agent with { Name = "Sen\u200Btinel" });
        Breaks("L0-NAME-004", "right-to-left override", "name", agent with { Name = "Sen\u202Etinel" });
        Breaks("L0-NAME-004", "lone surrogate", "name", agent with { Name = "Sen\uD83Dtinel" });
        Passes("L0-NAME-004", "accents", agent with { Name = "Señor Café" });
        Passes("L0-NAME-004", "Japanese", agent with { Name = "不正検知エージェント" });
        Passes("L0-NAME-004", "emoji", agent with { Name = "Sentinel \U0001F916" });
        Breaks("L0-NAME-005", "name taken", "name", agent, Facts.WithNameTaken(true));
        Passes("L0-NAME-005", "name free", agent, Facts.WithNameTaken(false));

        // L0-DESC
        Breaks("L0-DESC-001", "empty", "description", role with { Description = "" });
        Breaks("L0-DESC-001", "white space", "description", role with { Description = " \n\t " });
        Passes("L0-DESC-001", "baseline", role);
        Breaks("L0-DESC-002", "39 characters", "description", role with { Description = "Reviews card fraud alerts for the bank." });
        Breaks("L0-DESC-002", "4001 characters", "description", role with { Description = string.Concat(Enumerable.Repeat("Reviews card fraud alerts. ", 149)) + "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzab" });
        Passes("L0-DESC-002", "40 characters", role with { Description = "Reviews card fraud alerts for the banks." });
        Passes("L0-DESC-002", "4000 characters", role with { Description = string.Concat(Enumerable.Repeat("Reviews card fraud alerts. ", 148)) + string.Concat(Enumerable.Repeat("a", 4)) });
        Breaks("L0-DESC-003", "one long word", "description", role with { Description = new string('a', 60) });
        Breaks("L0-DESC-003", "punctuation", "description", role with { Description = "----- ----- ----- ----- ----- ----- ----- !!!!" });
        Breaks("L0-DESC-003", "four words", "description", role with { Description = "Fraudinvestigationspecialist for paymentproviders worldwide" });
        Passes("L0-DESC-003", "Chinese", role with { Description = "这个代理实时监控银行卡支付并标记异常的消费速度和地理位置以便及时发现欺诈交易并通知客户服务团队" });
        Breaks("L0-DESC-004", "bell character", "description", role with { Description = "Reviews card fraud alerts\u0007 for a bank or payment provider." });
        Breaks("L0-DESC-004", "byte-order mark", "description", role with { Description = "\uFEFFReviews card fraud alerts for a bank or payment provider." });
        Passes("L0-DESC-004", "tabs and line breaks", role with { Description = "Reviews card fraud alerts:\n\t- for a bank,\r\n\t- for a payment provider." });

        // L0-PII and L0-SECRET: in every free-text field.
        Breaks("L0-PII-001", "email in description", "description", agent with { Description = Sentence("write to jane.doe@example.com") });
        Breaks("L0-PII-001", "email in name", "name", agent with { Name = "ops@corp.io" });
        Breaks("L0-PII-001", "email in a tag", "tags[1]", agent with { Tags = ["fraud", "owner: a.b+c@mail.example.co.uk"] });
        Breaks("L0-PII-001", "email in an attribute", "attributes.owner", agent with { Attributes = Json("""{"owner": "x@y.org"}""") });
        Breaks("L0-PII-001", "email in a nested attribute", "attributes.contacts[1].mail", agent with { Attributes = Json("""{"contacts": [{"mail": "none"}, {"mail": "sam@shop.example"}]}""") });
        Breaks("L0-PII-001", "escaped email in an attribute", "attributes.owner", agent with { Attributes = Json("""{"owner": "x\u0040y.org"}""") });
        Passes("L0-PII-001", "handles and bare at signs", agent with { Description = Sentence("follow @plant, meet @ 10, user@localhost, a@b") });
        Breaks("L0-PII-002", "international number", "description", agent with { Description = Sentence("call +44 20 7946 0958") });
        Breaks("L0-PII-002", "US number with parentheses", "description", agent with { Description = Sentence("call (415) 555-0123 today") });
        Breaks("L0-PII-002", "dashed number", "description", agent with { Description = Sentence("call 415-555-0123") });
        Breaks("L0-PII-002", "dotted number", "tags[0]", agent with { Tags = ["415.555.0123"] });
        Breaks("L0-PII-002", "French number", "attributes.phone", agent with { Attributes = Json("""{"phone": "06 12 34 56 78"}""") });
        Passes("L0-PII-002", "dates, codes, versions, amounts, addresses", agent with { Description = Sentence("on 2026-01-14 at 12:30, ICD-10-CM codes, .NET 10.0.401, $85.00, 1 000 000 units, host 192.168.100.200, 24/7, 2019-2024") });
        Breaks("L0-PII-003", "spaced card number", "description", agent with { Description = Sentence("card 4111 1111 1111 1111") });
        Breaks("L0-PII-003", "bare card number", "attributes.card", agent with { Attributes = Json("""{"card": "5500000000000004"}""") });
        Breaks("L0-PII-003", "dashed card number", "description", agent with { Description = Sentence("card 3782-822463-10005") });
        Passes("L0-PII-003", "sixteen digits failing Luhn", agent with { Description = Sentence("order 4111 1111 1111 1112") });
        Breaks("L0-SECRET-001", "OpenAI-style key", "description", agent with { Description = Sentence("key sk-proj-Abc123def456GHI789jkl012") });
        Breaks("L0-SECRET-001", "Stripe secret key", "description", agent with { Description = Sentence("use sk_live_4eC39HqLyjWDarjtT1zdp7dc") });
        Breaks("L0-SECRET-001", "AWS access key id", "attributes.aws", agent with { Attributes = Json("""{"aws": "AKIAIOSFODNN7EXAMPLE"}""") });
        Breaks("L0-SECRET-001", "GitHub token", "tags[0]", agent with { Tags = ["ghp_" + new string('x', 36)] });
        Breaks("L0-SECRET-001", "GitHub fine-grained token", "description", agent with { Description = Sentence("github_pat_11ABCDEFG0123456789_abcdefghijklmnop") });
        Breaks("L0-SECRET-001", "Slack token", "description", agent with { Description = Sentence("xoxb-123456789012-123456789012-abcdef") });
        Breaks("L0-SECRET-001", "Google API key", "description", agent with { Description = Sentence("AIzaSyA-1234567890abcdefghijklmnopqrstu") });
        Breaks("L0-SECRET-001", "JWT", "attributes.token", agent with { Attributes = Json("""{"token": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"}""") });
        Breaks("L0-SECRET-001", "key as an attribute key", "attributes.sk-abcdefghijklmnopqrstuvwxyz", agent with { Attributes = Json("""{"sk-abcdefghijklmnopqrstuvwxyz": true}""") });
        Passes("L0-SECRET-001", "prose that looks like prefixes", agent with { Description = Sentence("risk-adjusted sk-learn models for Asia-Pacific and ASIAN markets, AKIA123, ghp_short, eyJ alone") });
        Breaks("L0-SECRET-002", "authorization header", "description", agent with { Description = Sentence("send Authorization: Bearer abcdefghijklmnopqrstuvwx0123") });
        Breaks("L0-SECRET-002", "lower-case bearer", "attributes.auth", agent with { Attributes = Json("""{"auth": "bearer 0123456789abcdefghij.KLMNOP"}""") });
        Passes("L0-SECRET-002", "bearer in prose", agent with { Description = Sentence("explains bearer bonds and bearer shares to customers") });
        Breaks("L0-SECRET-003", "RSA private key", "description", agent with { Description = Sentence("-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----") });
        Breaks("L0-SECRET-003", "OpenSSH private key", "attributes.key", agent with { Attributes = Json("""{"key": "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA"}""") });
        Breaks("L0-SECRET-003", "PKCS#8 private key", "description", agent with { Description = Sentence("-----BEGIN PRIVATE KEY-----") });
        Passes("L0-SECRET-003", "public key and certificate", agent with { Description = Sentence("-----BEGIN PUBLIC KEY----- and -----BEGIN CERTIFICATE-----") });

        // L0-META
        Breaks("L0-META-001", "21 tags", "tags", agent with { Tags = [.. Enumerable.Range(0, 21).Select(i => $"tag{i}")] });
        Passes("L0-META-001", "20 tags", agent with { Tags = [.. Enumerable.Range(0, 20).Select(i => $"tag{i}")] });
        Breaks("L0-META-002", "empty tag", "tags[1]", agent with { Tags = ["fraud", ""] });
        Breaks("L0-META-002", "untrimmed tag", "tags[0]", agent with { Tags = [" fraud"] });
        Breaks("L0-META-002", "51-character tag", "tags[0]", agent with { Tags = [new string('t', 51)] });
        Breaks("L0-META-002", "tag with a line break", "tags[0]", agent with { Tags = ["fr\naud"] });
        Passes("L0-META-002", "50-character tag", agent with { Tags = [new string('t', 50), "payments"] });
        Breaks("L0-META-003", "same tag twice", "tags[2]", agent with { Tags = ["Fraud", "cards", "fraud"] });
        Passes("L0-META-003", "distinct tags", agent with { Tags = ["fraud", "cards", "fraud-ops"] });
        Breaks("L0-META-004", "array", "attributes", agent with { Attributes = Json("""["source"]""") });
        Breaks("L0-META-004", "string", "attributes", agent with { Attributes = Json("\"source\"") });
        Passes("L0-META-004", "no attributes", agent with { Attributes = default });
        Passes("L0-META-004", "null attributes", agent with { Attributes = Json("null") });
        Passes("L0-META-004", "empty object", agent with { Attributes = Json("{}") });
        // {"k":"…"} is 8 bytes around its value.
        Breaks("L0-META-005", "8193 bytes", "attributes", agent with { Attributes = Json($$"""{"k":"{{new string('x', 8185)}}"}""") });
        Passes("L0-META-005", "8192 bytes", agent with { Attributes = Json($$"""{"k":"{{new string('x', 8184)}}"}""") });
        Passes("L0-META-005", "8192 bytes when compact, more as sent", agent with { Attributes = Json($$"""{  "k"  :  "{{new string('x', 8184)}}"  }""") });
        Breaks("L0-META-006", "six levels of objects", "attributes", agent with { Attributes = Json("""{"a": {"b": {"c": {"d": {"e": {}}}}}}""") });
        Breaks("L0-META-006", "six levels with arrays", "attributes", agent with { Attributes = Json("""{"a": [[[[[1]]]]]}""") });
        Passes("L0-META-006", "five levels", agent with { Attributes = Json("""{"a": {"b": [{"d": {"e": 1}}]}}""") });
        Breaks("L0-META-007", "empty key", "attributes.", agent with { Attributes = Json("""{"": 1}""") });
        Breaks("L0-META-007", "65-character key", $"attributes.{new string('k', 65)}", agent with { Attributes = Json($$"""{"{{new string('k', 65)}}": 1}""") });
        Breaks("L0-META-007", "escaped control character in a nested key", "attributes.a.b\u0001", agent with { Attributes = Json("""{"a": {"b\u0001": 1}}""") });
        Passes("L0-META-007", "ordinary keys", agent with { Attributes = Json("""{"source": "genesis-baseline", "languages": ["en", "fr"], "sla": {"hours": 24, "weekend": false}}""") });

        // L0-REF
        Breaks("L0-REF-001", "duplicate skill", "skillIds[4]", agent with { SkillIds = [.. agent.SkillIds, agent.SkillIds[0]] });
        Breaks("L0-REF-001", "empty id", "requiredSkillIds[1]", role with { RequiredSkillIds = [role.RequiredSkillIds[0], Guid.Empty] });
        Breaks("L0-REF-001", "101 members", "memberAgentIds", team with { MemberAgentIds = [.. Enumerable.Range(0, 101).Select(_ => Guid.NewGuid())] });
        Passes("L0-REF-001", "distinct ids", agent);

        // L1-INDUSTRY
        Breaks("L1-INDUSTRY-001", "lower case", "code", Industry with { Code = "finserv" });
        Breaks("L1-INDUSTRY-001", "space", "code", Industry with { Code = "FIN SERV" });
        Breaks("L1-INDUSTRY-001", "empty", "code", Industry with { Code = "" });
        Breaks("L1-INDUSTRY-001", "33 characters", "code", Industry with { Code = new string('A', 33) });
        Passes("L1-INDUSTRY-001", "no code", Industry with { Code = null });
        Passes("L1-INDUSTRY-001", "digits, dash and underscore", Industry with { Code = "FIN_SERV-2" });

        // L1-SKILL
        Breaks("L1-SKILL-001", "capitalised", "category", Skill with { Category = "Analytical" });
        Breaks("L1-SKILL-001", "unknown", "category", Skill with { Category = "magic" });
        Breaks("L1-SKILL-001", "missing", "category", Skill with { Category = "" });
        foreach (var category in CatalogValues.SkillCategories)
        {
            Passes("L1-SKILL-001", category, Skill with { Category = category });
        }

        // L1-JOBROLE
        Breaks("L1-JOBROLE-001", "capitalised", "seniority", role with { Seniority = "Senior" });
        Breaks("L1-JOBROLE-001", "missing", "seniority", role with { Seniority = "" });
        foreach (var seniority in CatalogValues.Seniorities)
        {
            Passes("L1-JOBROLE-001", seniority, role with { Seniority = seniority });
        }

        Breaks("L1-JOBROLE-002", "no skills", "requiredSkillIds", role with { RequiredSkillIds = [] });
        Passes("L1-JOBROLE-002", "one skill", role with { RequiredSkillIds = [fraudDetection] });
        Breaks("L1-JOBROLE-003", "unknown skill", "requiredSkillIds[1]", role with { RequiredSkillIds = [fraudDetection, unknown] });
        Breaks("L1-JOBROLE-003", "an industry given as a skill", "requiredSkillIds[0]", role with { RequiredSkillIds = [industryId] });
        Passes("L1-JOBROLE-003", "existing skills", role);
        Breaks("L1-JOBROLE-004", "pending skill", "requiredSkillIds[0]", role with { RequiredSkillIds = [fraudDetection] }, FactsWith(fraudDetection, LifecycleStatus.Draft, CertificationStatus.Pending));
        Breaks("L1-JOBROLE-004", "rejected skill", "requiredSkillIds[0]", role with { RequiredSkillIds = [fraudDetection] }, FactsWith(fraudDetection, LifecycleStatus.Draft, CertificationStatus.Rejected));
        Breaks("L1-JOBROLE-004", "suspended skill", "requiredSkillIds[0]", role with { RequiredSkillIds = [fraudDetection] }, FactsWith(fraudDetection, LifecycleStatus.Suspended, CertificationStatus.Certified));
        Breaks("L1-JOBROLE-004", "retired skill", "requiredSkillIds[0]", role with { RequiredSkillIds = [fraudDetection] }, FactsWith(fraudDetection, LifecycleStatus.Retired, CertificationStatus.Certified));
        Passes("L1-JOBROLE-004", "certified draft-status skill", role with { RequiredSkillIds = [fraudDetection] }, FactsWith(fraudDetection, LifecycleStatus.Draft, CertificationStatus.Certified));
        Breaks("L1-JOBROLE-005", "no industry", "industryId", role with { IndustryId = null });
        Breaks("L1-JOBROLE-005", "unknown industry", "industryId", role with { IndustryId = unknown });
        Breaks("L1-JOBROLE-005", "a skill given as the industry", "industryId", role with { IndustryId = fraudDetection });
        Breaks("L1-JOBROLE-005", "empty id", "industryId", role with { IndustryId = Guid.Empty });
        Passes("L1-JOBROLE-005", "existing industry", role);
        Breaks("L1-JOBROLE-006", "suspended industry", "industryId", role, FactsWith(industryId, LifecycleStatus.Suspended, CertificationStatus.Certified));
        Passes("L1-JOBROLE-006", "certified industry", role);

        // L1-TEAM
        Breaks("L1-TEAM-001", "no job role", "jobRoleId", team with { JobRoleId = null });
        Breaks("L1-TEAM-001", "unknown job role", "jobRoleId", team with { JobRoleId = unknown }, FactsWithout(unknown));
        Passes("L1-TEAM-001", "existing job role", team);
        Breaks("L1-TEAM-002", "pending job role", "jobRoleId", team, FactsWith(fraudAnalyst, LifecycleStatus.Draft, CertificationStatus.Pending));
        Passes("L1-TEAM-002", "certified job role", team);
        Breaks("L1-TEAM-003", "no members", "memberAgentIds", team with { MemberAgentIds = [] });
        Passes("L1-TEAM-003", "one member", team with { MemberAgentIds = [sentinel] });
        Breaks("L1-TEAM-004", "unknown member", "memberAgentIds[1]", team with { MemberAgentIds = [sentinel, unknown] });
        Breaks("L1-TEAM-004", "a team given as a member", "memberAgentIds[0]", team with { MemberAgentIds = [fraudTeam] });
        Passes("L1-TEAM-004", "existing members", team);
        Breaks("L1-TEAM-005", "retired member", "memberAgentIds[0]", team with { MemberAgentIds = [sentinel] }, FactsWith(sentinel, LifecycleStatus.Retired, CertificationStatus.Certified));
        Passes("L1-TEAM-005", "certified members", team);
        Breaks("L1-TEAM-006", "member of another job role", "memberAgentIds[1]", team with { MemberAgentIds = [sentinel, codeClinic] });
        Passes("L1-TEAM-006", "members of the team's job role", team);

        // L1-AGENT
        Breaks("L1-AGENT-001", "no industry", "industryId", agent with { IndustryId = null });
        Breaks("L1-AGENT-001", "unknown industry", "industryId", agent with { IndustryId = unknown });
        Passes("L1-AGENT-001", "existing industry", agent);
        Breaks("L1-AGENT-002", "rejected industry", "industryId", agent, FactsWith(industryId, LifecycleStatus.Draft, CertificationStatus.Rejected));
        Passes("L1-AGENT-002", "certified industry", agent);
        Breaks("L1-AGENT-003", "no job role", "jobRoleId", agent with { JobRoleId = null });
        Breaks("L1-AGENT-003", "an agent given as the job role", "jobRoleId", agent with { JobRoleId = codeClinic });
        Passes("L1-AGENT-003", "existing job role", agent);
        Breaks("L1-AGENT-004", "suspended job role", "jobRoleId", agent, FactsWith(fraudAnalyst, LifecycleStatus.Suspended, CertificationStatus.Certified));
        Passes("L1-AGENT-004", "certified job role", agent);
        Breaks("L1-AGENT-005", "missing a required skill", "skillIds", agent with { SkillIds = [.. agent.SkillIds.Where(s => s != fraudDetection)] });
        Breaks("L1-AGENT-005", "no skills", "skillIds", agent with { SkillIds = [] });
        Passes("L1-AGENT-005", "required skills and more", agent with { SkillIds = [.. agent.SkillIds, Id(EntityType.Skill, "API Integration")] });
        Breaks("L1-AGENT-006", "unknown skill", "skillIds[4]", agent with { SkillIds = [.. agent.SkillIds, unknown] });
        Passes("L1-AGENT-006", "existing skills", agent);
        Breaks("L1-AGENT-007", "suspended skill", "skillIds[0]", agent with { SkillIds = [fraudDetection, .. agent.SkillIds.Where(s => s != fraudDetection)] }, FactsWith(fraudDetection, LifecycleStatus.Suspended, CertificationStatus.Certified));
        Passes("L1-AGENT-007", "certified skills", agent);
        Breaks("L1-AGENT-008", "unknown team", "teamId", agent with { TeamId = unknown });
        Breaks("L1-AGENT-008", "a job role given as the team", "teamId", agent with { TeamId = fraudAnalyst });
        Passes("L1-AGENT-008", "no team", agent with { TeamId = null });
        Passes("L1-AGENT-008", "existing team", agent);
        Breaks("L1-AGENT-009", "suspended team", "teamId", agent, FactsWith(fraudTeam, LifecycleStatus.Suspended, CertificationStatus.Certified));
        Breaks("L1-AGENT-009", "retired draft team", "teamId", agent, FactsWith(fraudTeam, LifecycleStatus.Retired, CertificationStatus.Pending));
        Passes("L1-AGENT-009", "certified team", agent);
        Passes("L1-AGENT-009", "draft team, not yet certified", agent, FactsWith(fraudTeam, LifecycleStatus.Draft, CertificationStatus.Pending));
        Passes("L1-AGENT-009", "rejected draft team", agent, FactsWith(fraudTeam, LifecycleStatus.Draft, CertificationStatus.Rejected));
        Breaks("L1-AGENT-010", "capitalised", "availability", agent with { Availability = "Busy" });
        Breaks("L1-AGENT-010", "unknown", "availability", agent with { Availability = "away" });
        foreach (var availability in CatalogValues.Availabilities)
        {
            Passes("L1-AGENT-010", availability, agent with { Availability = availability });
        }

        Breaks("L1-AGENT-011", "no price", "pricePerHour", agent with { PricePerHour = null });
        Breaks("L1-AGENT-011", "negative", "pricePerHour", agent with { PricePerHour = -0.01m });
        Breaks("L1-AGENT-011", "three decimals", "pricePerHour", agent with { PricePerHour = 10.005m });
        Breaks("L1-AGENT-011", "too large for numeric(10, 2)", "pricePerHour", agent with { PricePerHour = 100_000_000m });
        Passes("L1-AGENT-011", "free", agent with { PricePerHour = 0m });
        Passes("L1-AGENT-011", "trailing zeros", agent with { PricePerHour = 10.500m });
        Passes("L1-AGENT-011", "largest", agent with { PricePerHour = 99_999_999.99m });
        Breaks("L1-AGENT-012", "lower case", "currency", agent with { Currency = "usd" });
        Breaks("L1-AGENT-012", "symbol", "currency", agent with { Currency = "$" });
        Breaks("L1-AGENT-012", "four letters", "currency", agent with { Currency = "EURO" });
        Passes("L1-AGENT-012", "EUR", agent with { Currency = "EUR" });
        Breaks("L1-AGENT-013", "another industry than the job role's", "industryId", agent with { IndustryId = healthcareId });
        Passes("L1-AGENT-013", "the job role's industry", agent);
        Breaks("L1-AGENT-014", "a team of another job role", "teamId", agent with { TeamId = codingTeam });
        Passes("L1-AGENT-014", "a team of the agent's job role", agent with { TeamId = fraudTeam, JobRoleId = fraudAnalyst });
        Passes("L1-AGENT-014", "a medical coder in the coding team", Draft<AgentDraft>(EntityType.Agent, "Code Clinic") with { TeamId = codingTeam, JobRoleId = medicalCoder });

        return cases;
    }
}
