using System.Net;
using System.Text;
using System.Text.Json;
using Plant.Genesis.Tests.Support;
using Plant.Hosting;
using Plant.Testing.Hosting;
using Xunit;

namespace Plant.Genesis.Tests;

/// <summary>Certification: L0 and L1 with facts from the database, signed certificates, both outcomes audited.</summary>
[Collection(GenesisCollection.Name)]
public sealed class CertificationTests(GenesisDatabase db)
{
    [Fact]
    public async Task Certifying_a_valid_draft_issues_a_signed_certificate_over_that_version_and_activates_it()
    {
        var created = await Json.ReadAsync(await db.PostAsync("/api/v1/genesis/agents", Drafts.Agent()));
        var id = created.GetProperty("id").GetGuid();

        var response = await db.PostAsync($"/api/v1/genesis/agents/{id}/certify", key: TestHost.MasterKey);

        var body = await Json.ReadAsync(response);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var certificate = body.GetProperty("certificate");
        var entity = body.GetProperty("entity");
        Assert.Equal(("active", "certified"), (entity.GetProperty("status").GetString(), entity.GetProperty("certification").GetProperty("status").GetString()));
        Assert.Equal(certificate.GetProperty("certificateId").GetGuid(), entity.GetProperty("certification").GetProperty("certificateId").GetGuid());
        Assert.Equal((id, 1, created.GetProperty("contentHash").GetString(), "test-key", "RSA-PSS-SHA256"),
            (certificate.GetProperty("entityId").GetGuid(), certificate.GetProperty("version").GetInt32(), certificate.GetProperty("contentHash").GetString(),
             certificate.GetProperty("keyId").GetString(), certificate.GetProperty("algorithm").GetString()));

        // The payload is the canonical JSON of the statement, and the signature verifies over exactly those bytes.
        var payload = Convert.FromBase64String(certificate.GetProperty("payload").GetString()!);
        Assert.Equal(
            $$"""{"algorithm":"RSA-PSS-SHA256","certificateId":"{{certificate.GetProperty("certificateId").GetGuid()}}","contentHash":"{{created.GetProperty("contentHash").GetString()}}","entityId":"{{id}}","entityType":"agent","issuedAt":"{{certificate.GetProperty("issuedAt").GetString()}}","keyId":"test-key","schema":"plant.genesis.certificate/1","version":1}""",
            Encoding.UTF8.GetString(payload));
        Assert.Equal(Plant.Core.Signing.SignatureCheck.Valid,
            db.Keys.Verify(payload, new Plant.Core.Signing.Signature("test-key", certificate.GetProperty("signature").GetString()!)));
        Assert.Equal(payload, await db.ScalarAsync<byte[]>("select payload from catalog.certificate where version_id = @v", ("v", created.GetProperty("versionId").GetGuid())));

        var read = await Json.ReadAsync(await db.GetAsync($"/api/v1/genesis/certificates/{certificate.GetProperty("certificateId").GetGuid()}"));
        Assert.Equal(certificate.GetProperty("payload").GetString(), read.GetProperty("payload").GetString());
        Assert.Equal(certificate.GetProperty("signature").GetString(), read.GetProperty("signature").GetString());
        Assert.Equal(1L, await AuditCountAsync(id, "entity.certified"));
    }

    [Fact]
    public async Task Certifying_the_same_version_twice_returns_the_existing_certificate()
    {
        var id = (await Json.ReadAsync(await db.PostAsync("/api/v1/genesis/industries", Drafts.Industry()))).GetProperty("id").GetGuid();
        var first = await Json.ReadAsync(await db.PostAsync($"/api/v1/genesis/industries/{id}/certify", key: TestHost.MasterKey));

        var again = await db.PostAsync($"/api/v1/genesis/industries/{id}/certify", key: TestHost.MasterKey);

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var second = await Json.ReadAsync(again);
        Assert.Equal(first.GetProperty("certificate").ToString(), second.GetProperty("certificate").ToString());
        Assert.Equal(1L, await db.ScalarAsync<long>("select count(*) from catalog.certificate where entity_id = @id", ("id", id)));
        Assert.Equal(1L, await AuditCountAsync(id, "entity.certified"));
    }

    [Fact]
    public async Task Concurrent_certifications_of_one_version_give_one_certificate()
    {
        var id = (await Json.ReadAsync(await db.PostAsync("/api/v1/genesis/skills", Drafts.Skill()))).GetProperty("id").GetGuid();

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => db.PostAsync($"/api/v1/genesis/skills/{id}/certify", key: TestHost.MasterKey)));

        Assert.Equal([HttpStatusCode.Created], responses.Where(r => r.StatusCode == HttpStatusCode.Created).Select(r => r.StatusCode));
        Assert.Equal(7, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        var ids = await Task.WhenAll(responses.Select(async r => (await Json.ReadAsync(r)).GetProperty("certificate").GetProperty("certificateId").GetGuid()));
        Assert.Single(ids.Distinct());
        Assert.Equal(1L, await db.ScalarAsync<long>("select count(*) from catalog.certificate where entity_id = @id", ("id", id)));
        Assert.Equal(1L, await AuditCountAsync(id, "entity.certified"));
    }

    [Fact]
    public async Task A_failing_certification_is_422_with_every_violation_marks_the_version_rejected_and_is_audited()
    {
        // A job role whose skill is only a draft, with a description that is too short: an L0 and an L1 violation.
        var skill = (await Json.ReadAsync(await db.PostAsync("/api/v1/genesis/skills", Drafts.Skill()))).GetProperty("id").GetGuid();
        var role = new { name = Drafts.Name("Short Role"), description = "Too short.", seniority = "mid", industryId = Drafts.FinancialServices, requiredSkillIds = new[] { skill } };
        var id = (await Json.ReadAsync(await db.PostAsync("/api/v1/genesis/job-roles", role))).GetProperty("id").GetGuid();

        var response = await db.PostAsync($"/api/v1/genesis/job-roles/{id}/certify", key: TestHost.MasterKey);

        var body = await Problem.AssertAsync(response, HttpStatusCode.UnprocessableEntity, "certification-failed");
        var rules = Json.RuleIds(body.GetProperty("violations"));
        Assert.Contains("L0-DESC-002", rules);
        Assert.Contains("L1-JOBROLE-004", rules);
        var entity = await Json.ReadAsync(await db.GetAsync($"/api/v1/genesis/job-roles/{id}"));
        Assert.Equal(("draft", "rejected"), (entity.GetProperty("status").GetString(), entity.GetProperty("certification").GetProperty("status").GetString()));
        Assert.Equal(rules, Json.RuleIds(entity.GetProperty("certification").GetProperty("violations")));
        Assert.Equal(0L, await db.ScalarAsync<long>("select count(*) from catalog.certificate where entity_id = @id", ("id", id)));
        Assert.Equal(1L, await AuditCountAsync(id, "entity.certification_failed"));

        // Once the skill is certified and the description amended, the job role certifies.
        Assert.Equal(HttpStatusCode.Created, (await db.PostAsync($"/api/v1/genesis/skills/{skill}/certify", key: TestHost.MasterKey)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await db.PostAsync($"/api/v1/genesis/job-roles/{id}/amendments", Drafts.JobRole(role.name, [skill]), TestHost.FunctionKey, ("If-Match", "*"))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await db.PostAsync($"/api/v1/genesis/job-roles/{id}/certify", key: TestHost.MasterKey)).StatusCode);
    }

    [Fact]
    public async Task An_amended_entity_is_a_draft_again_until_its_new_version_is_certified_with_a_certificate_of_its_own()
    {
        var name = Drafts.Name("Vigilant");
        var id = (await Json.ReadAsync(await db.PostAsync("/api/v1/genesis/agents", Drafts.Agent(name)))).GetProperty("id").GetGuid();
        var first = await Json.ReadAsync(await db.PostAsync($"/api/v1/genesis/agents/{id}/certify", key: TestHost.MasterKey));

        var amended = await Json.ReadAsync(await db.PostAsync($"/api/v1/genesis/agents/{id}/amendments", Drafts.Agent(name, price: 50m), TestHost.FunctionKey, ("If-Match", "*")));
        Assert.Equal(("draft", "pending"), (amended.GetProperty("status").GetString(), amended.GetProperty("certification").GetProperty("status").GetString()));
        var second = await Json.ReadAsync(await db.PostAsync($"/api/v1/genesis/agents/{id}/certify", key: TestHost.MasterKey, headers: ("If-Match", "\"2\"")));

        Assert.Equal(2, second.GetProperty("certificate").GetProperty("version").GetInt32());
        Assert.NotEqual(first.GetProperty("certificate").GetProperty("certificateId").GetGuid(), second.GetProperty("certificate").GetProperty("certificateId").GetGuid());
        Assert.Equal(amended.GetProperty("contentHash").GetString(), second.GetProperty("certificate").GetProperty("contentHash").GetString());
        Assert.Equal("active", second.GetProperty("entity").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Certify_with_a_stale_if_match_is_412_and_an_unknown_entity_is_404()
    {
        var id = (await Json.ReadAsync(await db.PostAsync("/api/v1/genesis/industries", Drafts.Industry()))).GetProperty("id").GetGuid();

        await Problem.AssertAsync(await db.PostAsync($"/api/v1/genesis/industries/{id}/certify", key: TestHost.MasterKey, headers: ("If-Match", "\"2\"")),
            HttpStatusCode.PreconditionFailed, "precondition-failed");
        await Problem.AssertAsync(await db.PostAsync($"/api/v1/genesis/industries/{Guid.NewGuid()}/certify", key: TestHost.MasterKey), HttpStatusCode.NotFound, Problems.NotFound);
        Assert.Equal(0L, await db.ScalarAsync<long>("select count(*) from catalog.certificate where entity_id = @id", ("id", id)));
    }

    [Theory]
    [InlineData("certify")]
    [InlineData("suspend")]
    [InlineData("reinstate")]
    [InlineData("retire")]
    public async Task Certify_and_lifecycle_changes_need_the_master_key(string action)
    {
        var id = (await Json.ReadAsync(await db.PostAsync("/api/v1/genesis/industries", Drafts.Industry()))).GetProperty("id").GetGuid();

        var body = await Problem.AssertAsync(await db.PostAsync($"/api/v1/genesis/industries/{id}/{action}"), HttpStatusCode.Unauthorized, Problems.Unauthorized);

        Assert.Contains("master key", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("pending", await db.ScalarAsync<string>("select certification_status from catalog.entity_version where entity_id = @id", ("id", id)));
    }

    [Fact]
    public async Task A_row_altered_behind_genesiss_back_is_not_certified()
    {
        var id = (await Json.ReadAsync(await db.PostAsync("/api/v1/genesis/industries", Drafts.Industry()))).GetProperty("id").GetGuid();
        await AlterNameAsync(db, id, Drafts.Name("Tampered"));

        var body = await Problem.AssertAsync(await db.PostAsync($"/api/v1/genesis/industries/{id}/certify", key: TestHost.MasterKey), HttpStatusCode.Conflict, "version-altered");

        Assert.Contains("changed outside Genesis", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0L, await db.ScalarAsync<long>("select count(*) from catalog.certificate where entity_id = @id", ("id", id)));
        Assert.Equal(1L, await AuditCountAsync(id, "entity.certification_failed"));
    }

    [Fact]
    public async Task A_certified_row_altered_afterwards_is_409_on_recertification_not_its_old_certificate()
    {
        var id = (await Json.ReadAsync(await db.PostAsync("/api/v1/genesis/industries", Drafts.Industry()))).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.Created, (await db.PostAsync($"/api/v1/genesis/industries/{id}/certify", key: TestHost.MasterKey)).StatusCode);
        await AlterNameAsync(db, id, Drafts.Name("Tampered later"));

        await Problem.AssertAsync(await db.PostAsync($"/api/v1/genesis/industries/{id}/certify", key: TestHost.MasterKey), HttpStatusCode.Conflict, "version-altered");

        Assert.Equal(1L, await db.ScalarAsync<long>("select count(*) from catalog.certificate where entity_id = @id", ("id", id)));
        Assert.Equal(1L, await AuditCountAsync(id, "entity.certification_failed"));
    }

    /// <summary>Changes a version's name as a superuser would, with the append-only trigger switched off for this session.</summary>
    internal static Task AlterNameAsync(GenesisDatabase db, Guid entityId, string name) => db.ExecuteAsync("""
        set session_replication_role = replica;
        update catalog.entity_version set name = @name where entity_id = @id and is_current;
        set session_replication_role = origin;
        """, ("id", entityId), ("name", name));

    private Task<long> AuditCountAsync(Guid entityId, string action) =>
        db.ScalarAsync<long>("select count(*) from genesis.audit_entry where entity_id = @id and action = @action", ("id", entityId), ("action", action));
}
