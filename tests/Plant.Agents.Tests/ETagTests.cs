using System.Net;
using Plant.Agents.Tests.Support;

namespace Plant.Agents.Tests;

/// <summary>ETag on every list and item; If-None-Match answers 304 without a body.</summary>
[Collection(ReadOnlyCatalog.Name)]
public sealed class ETagTests(SeededCatalog catalog)
{
    public static TheoryData<string> Routes { get; } =
    [
        "/api/v1/agents",
        $"/api/v1/agents?industry={Seeded.Industry("Healthcare")}&skill={Seeded.Skill("Medical Coding")}&limit=3",
        $"/api/v1/agents/{Seeded.Agent("Sentinel")}",
        "/api/v1/agents/search?q=fraud&k=3",
        "/api/v1/skills",
        $"/api/v1/skills/{Seeded.Skill("Medical Coding")}",
        "/api/v1/job-roles",
        $"/api/v1/job-roles/{Seeded.JobRole("Medical Coder")}",
        "/api/v1/teams",
        $"/api/v1/teams/{Seeded.Team("Fraud Response Team")}",
        "/api/v1/industries",
        $"/api/v1/industries/{Seeded.Industry("Healthcare")}",
    ];

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task A_repeated_request_with_If_None_Match_is_304_without_a_body(string path)
    {
        using var first = await catalog.SendAsync(HttpMethod.Get, path);
        var etag = first.Headers.ETag;
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.NotNull(etag);
        Assert.False(etag.IsWeak);

        using var again = await catalog.SendAsync(HttpMethod.Get, path, null, ("If-None-Match", etag.Tag));
        using var weak = await catalog.SendAsync(HttpMethod.Get, path, null, ("If-None-Match", $"\"other\", W/{etag.Tag}"));
        using var any = await catalog.SendAsync(HttpMethod.Get, path, null, ("If-None-Match", "*"));
        using var stale = await catalog.SendAsync(HttpMethod.Get, path, null, ("If-None-Match", "\"0000\""));

        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
        Assert.Equal(etag, again.Headers.ETag);
        Assert.Empty(await again.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.NotModified, weak.StatusCode);
        Assert.Equal(HttpStatusCode.NotModified, any.StatusCode);
        Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
        Assert.Equal(etag, stale.Headers.ETag);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await stale.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Different_queries_have_different_ETags_and_the_key_is_not_part_of_it()
    {
        using var a = await catalog.SendAsync(HttpMethod.Get, "/api/v1/agents?limit=3");
        using var b = await catalog.SendAsync(HttpMethod.Get, "/api/v1/agents?limit=4");
        using var keyInQuery = await catalog.Client.GetAsync($"/api/v1/agents?limit=3&code={Testing.Hosting.TestHost.FunctionKey}");

        Assert.NotEqual(a.Headers.ETag, b.Headers.ETag);
        Assert.Equal(a.Headers.ETag, keyInQuery.Headers.ETag);
        Assert.Equal("no-cache, private", string.Join(", ", a.Headers.CacheControl!.ToString().Split(", ").Order()));
    }
}
