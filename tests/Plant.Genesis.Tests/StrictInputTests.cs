using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Plant.Genesis.Tests.Support;
using Plant.Hosting;
using Plant.Testing.Hosting;
using Xunit;

namespace Plant.Genesis.Tests;

/// <summary>
/// Bodies an attacker sends to every Genesis route that reads one: each is refused with a 4xx problem and writes
/// nothing, so that a stored, hashed or signed text is always the one the client sent.
/// </summary>
[Collection(GenesisCollection.Name)]
public sealed class StrictInputTests(GenesisDatabase db)
{
    private const string Skill = """{"name": "Dup One", "description": "A description of a skill long enough for the rules.", "category": "technical"}""";

    public static TheoryData<string, string> RepeatedMembers { get; } = new()
    {
        { "/api/v1/genesis/skills", """{"name": "Dup One", "name": "Dup Two", "description": "A description of a skill long enough for the rules.", "category": "technical"}""" },
        { "/api/v1/genesis/skills", """{"name": "Dup One", "description": "A description of a skill long enough for the rules.", "category": "technical", "attributes": {"a": 1, "a": 2}}""" },
        { "/api/v1/genesis/validate", """{"entityType": "skill", "name": "Dup One", "name": "Dup Two", "description": "A description.", "category": "technical"}""" },
        { "/api/v1/genesis/certificates/verify", """{"certificateId": "6c1e0f5a-9d4b-4f51-8a57-0b1c5e7d2a90", "certificateId": "6c1e0f5a-9d4b-4f51-8a57-0b1c5e7d2a91"}""" },
    };

    [Theory]
    [MemberData(nameof(RepeatedMembers))]
    public async Task A_repeated_member_is_a_400_on_every_route_and_writes_nothing(string path, string json)
    {
        var before = await CountsAsync();

        var body = await Problem.AssertAsync(await db.PostAsync(path, json), HttpStatusCode.BadRequest, Problems.MalformedJson);

        Assert.Contains("more than once", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await CountsAsync());
    }

    [Theory]
    [InlineData(new byte[] { 0xFF })]
    [InlineData(new byte[] { 0xC0, 0xAF })]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]
    [InlineData(new byte[] { 0xE9 })]
    public async Task A_body_that_is_not_UTF8_is_a_400_not_text_with_replacement_characters(byte[] bad)
    {
        var before = await CountsAsync();
        var bytes = Encoding.UTF8.GetBytes(Skill.Replace("Dup One", "Bad\u0001Byte", StringComparison.Ordinal)).ToList();
        var at = bytes.IndexOf(0x01);
        bytes.RemoveAt(at);
        bytes.InsertRange(at, bad);

        var body = await Problem.AssertAsync(await PostBytesAsync("/api/v1/genesis/skills", [.. bytes], "application/json"), HttpStatusCode.BadRequest, Problems.MalformedJson);

        Assert.Contains("UTF-8", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await CountsAsync());
    }

    [Theory]
    [InlineData("application/json; charset=iso-8859-1")]
    [InlineData("application/json; charset=utf-16")]
    public async Task A_charset_other_than_UTF8_is_a_415(string contentType)
    {
        var before = await CountsAsync();

        await Problem.AssertAsync(await PostBytesAsync("/api/v1/genesis/skills", Encoding.Latin1.GetBytes(Skill.Replace("Dup One", "Caf\u00e9", StringComparison.Ordinal)), contentType),
            HttpStatusCode.UnsupportedMediaType, Problems.UnsupportedMediaType);

        Assert.Equal(before, await CountsAsync());
    }

    [Theory]
    [InlineData("""{"name": "N", "description": "D", "category": "technical", "attributes": {"n": 1}, "tags": "x"}""", "tags")]
    [InlineData("null", null)]
    public async Task A_null_body_or_a_wrong_type_is_a_400_naming_the_member(string json, string? member)
    {
        var body = await Problem.AssertAsync(await db.PostAsync("/api/v1/genesis/skills", json), HttpStatusCode.BadRequest, Problems.MalformedJson);

        Assert.Equal(member, body.TryGetProperty("parameter", out var parameter) ? parameter.GetString() : null);
    }

    [Theory]
    [InlineData("pricePerHour", "\"abc\"", "'pricePerHour' must be a number.")]
    [InlineData("pricePerHour", "1e400", "'pricePerHour' must be a number, and this one is malformed or out of range")]
    [InlineData("industryId", "\"not-a-uuid\"", "'industryId' must be a UUID string, and this one is malformed")]
    [InlineData("skillIds", "\"one\"", "'skillIds' must be an array.")]
    [InlineData("tags", "[1]", "'tags[0]' must be a string.")]
    public async Task A_value_of_the_wrong_type_is_named_with_the_type_it_must_have(string member, string value, string detail)
    {
        var members = new Dictionary<string, string>
        {
            ["name"] = "\"Typed\"",
            ["description"] = "\"An agent described at length for the rules.\"",
            ["industryId"] = "\"6c1e0f5a-9d4b-4f51-8a57-0b1c5e7d2a90\"",
            ["skillIds"] = "[]",
            ["pricePerHour"] = "10",
        };
        members[member] = value;
        var json = "{" + string.Join(", ", members.Select(m => $"\"{m.Key}\": {m.Value}")) + "}";
        var before = await CountsAsync();

        var body = await Problem.AssertAsync(await db.PostAsync("/api/v1/genesis/agents", json), HttpStatusCode.BadRequest, Problems.MalformedJson);

        Assert.Contains(detail, body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await CountsAsync());
    }

    private async Task<HttpResponseMessage> PostBytesAsync(string path, byte[] body, string contentType)
    {
        var request = TestHost.Request(HttpMethod.Post, path);
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return await db.Client.SendAsync(request);
    }

    private Task<long> CountsAsync() =>
        db.ScalarAsync<long>("select (select count(*) from catalog.entity_version) + (select count(*) from genesis.audit_entry)");
}
