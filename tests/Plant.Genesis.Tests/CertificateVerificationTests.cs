using System.Net;
using System.Text;
using System.Text.Json;
using Plant.Genesis.Tests.Support;
using Plant.Hosting;
using Plant.Testing;
using Plant.Testing.Hosting;
using Xunit;

namespace Plant.Genesis.Tests;

/// <summary>Verifying certificates against their signature and the stored version; tampering is found and explained.</summary>
[Collection(GenesisCollection.Name)]
public sealed class CertificateVerificationTests(GenesisDatabase db)
{
    [Fact]
    public async Task A_certificate_verifies_by_id_and_as_presented()
    {
        var certificate = await CertifiedIndustryAsync();

        var byId = await Json.ReadAsync(await db.PostAsync("/api/v1/genesis/certificates/verify", new { certificateId = certificate.GetProperty("certificateId").GetGuid() }));
        var presented = await Json.ReadAsync(await db.PostAsync("/api/v1/genesis/certificates/verify", certificate.ToString()));

        foreach (var verification in new[] { byId, presented })
        {
            Assert.True(verification.GetProperty("valid").GetBoolean(), verification.ToString());
            Assert.Equal(["payload", "signature", "issued", "version", "content-hash", "recorded-hash"],
                verification.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
            Assert.Equal(0, verification.GetProperty("failures").GetArrayLength());
        }
    }

    [Fact]
    public async Task A_certificate_of_a_row_altered_behind_genesiss_back_fails_and_says_why()
    {
        var certificate = await CertifiedIndustryAsync();
        await CertificationTests.AlterNameAsync(db, certificate.GetProperty("entityId").GetGuid(), Drafts.Name("Altered Industry"));

        var verification = await Json.ReadAsync(await db.PostAsync("/api/v1/genesis/certificates/verify", new { certificateId = certificate.GetProperty("certificateId").GetGuid() }));

        Assert.False(verification.GetProperty("valid").GetBoolean());
        var failure = Assert.Single(verification.GetProperty("failures").EnumerateArray()).GetString();
        Assert.Contains($"not to {certificate.GetProperty("contentHash").GetString()} as certified: it was changed after certification", failure, StringComparison.Ordinal);
        Assert.True(Check(verification, "signature"));
        Assert.False(Check(verification, "content-hash"));
    }

    [Fact]
    public async Task A_row_whose_recorded_hash_was_also_rewritten_still_fails()
    {
        var certificate = await CertifiedIndustryAsync();
        await db.ExecuteAsync("""
            set session_replication_role = replica;
            update catalog.entity_version set description = 'Rewritten description of an industry that nobody certified at all.', content_hash = repeat('c', 64)
            where entity_id = @id and is_current;
            set session_replication_role = origin;
            """, ("id", certificate.GetProperty("entityId").GetGuid()));

        var verification = await Json.ReadAsync(await db.PostAsync("/api/v1/genesis/certificates/verify", new { certificateId = certificate.GetProperty("certificateId").GetGuid() }));

        Assert.False(verification.GetProperty("valid").GetBoolean());
        Assert.False(Check(verification, "content-hash"));
        Assert.False(Check(verification, "recorded-hash"));
        Assert.Equal(2, verification.GetProperty("failures").GetArrayLength());
    }

    [Fact]
    public async Task A_signature_from_another_key_fails()
    {
        var certificate = await CertifiedIndustryAsync();
        var payload = Convert.FromBase64String(certificate.GetProperty("payload").GetString()!);
        // The same statement, naming the same key id, signed by a key that is not Genesis's.
        using var impostor = TestSigningKeys.Other(TestSigningKeys.KeyId);
        var forged = impostor.Sign(payload).Value;

        var verification = await Json.ReadAsync(await db.PostAsync("/api/v1/genesis/certificates/verify",
            new { payload = certificate.GetProperty("payload").GetString(), signature = forged }));

        Assert.False(verification.GetProperty("valid").GetBoolean());
        Assert.False(Check(verification, "signature"));
        Assert.Contains(verification.GetProperty("failures").EnumerateArray(),
            f => f.GetString()!.Contains("does not verify under key 'test-key'", StringComparison.Ordinal));
        Assert.True(Check(verification, "content-hash"));
    }

    [Fact]
    public async Task A_statement_signed_by_a_key_genesis_does_not_know_fails_naming_the_key()
    {
        var certificate = await CertifiedIndustryAsync();
        var statement = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(Convert.FromBase64String(certificate.GetProperty("payload").GetString()!), TestJson.Options)!;
        using var other = TestSigningKeys.Other("other-key");
        statement["keyId"] = JsonSerializer.SerializeToElement("other-key", TestJson.Options);
        var payload = Plant.Core.Canonical.CanonicalJson.SerializeValue(statement, (System.Text.Json.Serialization.Metadata.JsonTypeInfo<Dictionary<string, JsonElement>>)TestJson.Options.GetTypeInfo(typeof(Dictionary<string, JsonElement>)));

        var verification = await Json.ReadAsync(await db.PostAsync("/api/v1/genesis/certificates/verify",
            new { payload = Convert.ToBase64String(payload), signature = other.Sign(payload).Value }));

        Assert.False(verification.GetProperty("valid").GetBoolean());
        Assert.Contains(verification.GetProperty("failures").EnumerateArray(), f => f.GetString()!.Contains("'other-key', which is not a key of this Genesis", StringComparison.Ordinal));
        Assert.False(Check(verification, "issued"));
    }

    [Fact]
    public async Task A_payload_that_is_not_a_certificate_fails_the_payload_check()
    {
        var payload = Convert.ToBase64String(Encoding.UTF8.GetBytes("""{"hello": "world"}"""));

        var verification = await Json.ReadAsync(await db.PostAsync("/api/v1/genesis/certificates/verify", new { payload, signature = "AAAA" }));

        Assert.False(verification.GetProperty("valid").GetBoolean());
        Assert.False(Check(verification, "payload"));
    }

    [Theory]
    [InlineData("""{"certificateId": "nope"}""", "certificateId")]
    [InlineData("""{"payload": "not base64!", "signature": "AAAA"}""", "payload")]
    [InlineData("""{"payload": "AAAA"}""", "signature")]
    [InlineData("""{"what": 1}""", "what")]
    [InlineData("""[]""", "object")]
    public async Task A_malformed_verify_body_is_400_naming_the_field(string json, string named)
    {
        var body = await Problem.AssertAsync(await db.PostAsync("/api/v1/genesis/certificates/verify", json), HttpStatusCode.BadRequest, Problems.MalformedJson);

        Assert.Contains(named, body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_certificate_is_404()
    {
        var id = Guid.NewGuid();

        await Problem.AssertAsync(await db.GetAsync($"/api/v1/genesis/certificates/{id}"), HttpStatusCode.NotFound, Problems.NotFound);
        await Problem.AssertAsync(await db.PostAsync("/api/v1/genesis/certificates/verify", new { certificateId = id }), HttpStatusCode.NotFound, Problems.NotFound);
    }

    [Fact]
    public async Task Certificates_cannot_be_changed_or_deleted()
    {
        var certificate = await CertifiedIndustryAsync();

        var update = await Assert.ThrowsAsync<Npgsql.PostgresException>(() =>
            db.ExecuteAsync("update catalog.certificate set key_id = 'x' where certificate_id = @id", ("id", certificate.GetProperty("certificateId").GetGuid())));
        var delete = await Assert.ThrowsAsync<Npgsql.PostgresException>(() =>
            db.ExecuteAsync("delete from catalog.certificate where certificate_id = @id", ("id", certificate.GetProperty("certificateId").GetGuid())));

        Assert.Contains("append-only", update.MessageText, StringComparison.Ordinal);
        Assert.Contains("append-only", delete.MessageText, StringComparison.Ordinal);
    }

    private static bool Check(JsonElement verification, string name) =>
        verification.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name).GetProperty("passed").GetBoolean();

    private async Task<JsonElement> CertifiedIndustryAsync()
    {
        var id = (await Json.ReadAsync(await db.PostAsync("/api/v1/genesis/industries", Drafts.Industry()))).GetProperty("id").GetGuid();
        var response = await db.PostAsync($"/api/v1/genesis/industries/{id}/certify", key: TestHost.MasterKey);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await Json.ReadAsync(response)).GetProperty("certificate");
    }
}
