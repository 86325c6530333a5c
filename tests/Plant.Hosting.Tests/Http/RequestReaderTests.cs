using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Net.Http.Headers;

namespace Plant.Hosting.Tests.Http;

/// <summary>
/// The host's request readers, called directly on a <see cref="DefaultHttpContext"/>: each rule of docs/HTTP.md
/// as a table. ProblemTests drives the same readers over real HTTP.
/// </summary>
public sealed class RequestReaderTests
{
    public sealed record Body(int Target, string Note = "");

    public sealed record Optional(bool? DryRun = null);

    public sealed record Nested(Body Inner, System.Text.Json.JsonElement Attributes);

    [Theory]
    [InlineData("""{"target":"7"}""", "target", "'target' must be a whole number.")]
    [InlineData("""{"target":7,"target":0}""", "target", "more than once")]
    [InlineData("""{"target":7,"note":"a","note":"b"}""", "note", "more than once")]
    [InlineData("""{"target":7,"extra":1}""", "extra", "not expected")]
    [InlineData("""{"target":1e400}""", "target", "'target' must be a whole number, and this one is malformed or out of range")]
    [InlineData("""{"target":7,"note":5}""", "note", "'note' must be a string.")]
    [InlineData("""{"note":"x"}""", null, "missing required properties")]
    [InlineData("""null""", null, "not null")]
    [InlineData("""[]""", null, "JSON object")]
    [InlineData("""{"target":""", null, "not valid JSON")]
    public async Task A_body_is_read_strictly_and_names_the_member_at_fault(string json, string? member, string detail)
    {
        var e = await Assert.ThrowsAsync<BadInputException>(() => JsonBody.ReadAsync<Body>(Request(json), CancellationToken.None));

        Assert.Equal(StatusCodes.Status400BadRequest, e.Status);
        Assert.Equal(Problems.MalformedJson, e.ProblemType);
        Assert.Equal(member, e.Parameter);
        Assert.Contains(detail, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_repeated_member_is_refused_however_deep_it_is()
    {
        var e = await Assert.ThrowsAsync<BadInputException>(() =>
            JsonBody.ReadAsync<Nested>(Request("""{"inner":{"target":1},"attributes":{"a":{"b":1,"b":2}}}"""), CancellationToken.None));

        Assert.Contains("more than once", e.Message, StringComparison.Ordinal);
        Assert.Contains("more than once", (await Assert.ThrowsAsync<BadInputException>(() =>
            JsonBody.ReadObjectAsync(Request("""{"a":{"b":1,"b":2}}"""), CancellationToken.None))).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[] { 0xFF })]
    [InlineData(new byte[] { 0xC0, 0xAF })]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]
    [InlineData(new byte[] { 0xE9 })]
    public async Task A_byte_that_is_not_UTF8_is_refused_not_replaced(byte[] bad)
    {
        var body = Encoding.UTF8.GetBytes("""{"target":7,"note":"x""").Concat(bad).Concat(Encoding.UTF8.GetBytes("\"}")).ToArray();

        var e = await Assert.ThrowsAsync<BadInputException>(() => JsonBody.ReadAsync<Body>(Request(body), CancellationToken.None));

        Assert.Equal(Problems.MalformedJson, e.ProblemType);
        Assert.Contains("UTF-8", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("application/json; charset=iso-8859-1", StatusCodes.Status415UnsupportedMediaType)]
    [InlineData("text/plain", StatusCodes.Status415UnsupportedMediaType)]
    [InlineData("application/json; charset=utf-8", 0)]
    [InlineData("application/json; charset=\"UTF-8\"", 0)]
    public async Task Only_UTF8_JSON_is_read(string contentType, int status)
    {
        var request = Request("""{"target":7}""", contentType);

        if (status == 0)
        {
            Assert.Equal(7, (await JsonBody.ReadAsync<Body>(request, CancellationToken.None)).Target);
        }
        else
        {
            Assert.Equal(status, (await Assert.ThrowsAsync<BadInputException>(() => JsonBody.ReadAsync<Body>(request, CancellationToken.None))).Status);
        }
    }

    [Fact]
    public async Task An_optional_body_may_be_left_out_but_is_never_null()
    {
        Assert.Null(await JsonBody.ReadOptionalAsync<Optional>(Request(""), CancellationToken.None));
        Assert.Equal(true, (await JsonBody.ReadOptionalAsync<Optional>(Request("""{"dryRun":true}"""), CancellationToken.None))!.DryRun);
        await Assert.ThrowsAsync<BadInputException>(() => JsonBody.ReadOptionalAsync<Optional>(Request("null"), CancellationToken.None));
        await Assert.ThrowsAsync<BadInputException>(() => JsonBody.ReadOptionalAsync<Optional>(Request("""{"dryRun":"false"}"""), CancellationToken.None));
        await Assert.ThrowsAsync<BadInputException>(() => JsonBody.ReadOptionalAsync<Optional>(Request("""{"dryRun":true,"dryRun":false}"""), CancellationToken.None));
    }

    [Theory]
    [InlineData("?colour=red", "colour")]
    [InlineData("?limit=5&limit=6", "limit")]
    [InlineData("?limit=0", "limit")]
    [InlineData("?limit=101", "limit")]
    [InlineData("?limit=", "limit")]
    [InlineData("?cursor=a&cursor=b", "cursor")]
    [InlineData("?cursor=a%00b", "cursor")]
    public void A_query_string_is_read_strictly_and_names_the_parameter(string query, string parameter)
    {
        var e = Assert.Throws<BadInputException>(() => QueryReader.For(Query(query), [.. Paging.Parameters]).Page(20, 100));

        Assert.Equal(parameter, e.Parameter);
        Assert.Equal(Problems.BadRequest, e.ProblemType);
    }

    [Fact]
    public void Paging_reads_limit_and_cursor_and_ignores_the_key()
    {
        Assert.Equal(new PageRequest(20, null), QueryReader.For(Query("?code=k"), [.. Paging.Parameters]).Page(20, 100));
        Assert.Equal(new PageRequest(7, "abc"), QueryReader.For(Query("?LIMIT=7&cursor=abc"), [.. Paging.Parameters]).Page(20, 100));
    }

    [Fact]
    public void The_canonical_query_leaves_out_the_key_and_ignores_order()
    {
        Assert.Equal(QueryReader.Canonical(Query("?b=2&a=1&code=x")), QueryReader.Canonical(Query("?A=1&b=2")));
        Assert.NotEqual(QueryReader.Canonical(Query("?a=1")), QueryReader.Canonical(Query("?a=2")));
    }

    [Theory]
    [InlineData("\"3\"", "\"3\"")]
    [InlineData("W/\"3\"", "\"3\"")]
    [InlineData("*", "*")]
    [InlineData("\"1\", \"3\"", "\"1\"")]
    public void If_match_is_read_as_entity_tags(string header, string first)
    {
        var request = Query();
        request.Headers.IfMatch = header;

        Assert.Equal(first, Preconditions.IfMatch(request)![0].Tag.ToString());
        Assert.Null(Preconditions.IfMatch(Query()));
    }

    [Theory]
    [InlineData("3")]
    [InlineData("\"unterminated")]
    [InlineData("")]
    public void A_precondition_that_holds_no_entity_tag_is_a_400_naming_the_header(string header)
    {
        var request = Query();
        request.Headers.IfMatch = header;

        Assert.Equal("If-Match", Assert.Throws<BadInputException>(() => Preconditions.IfMatch(request)).Parameter);
    }

    [Theory]
    [InlineData("\"abc\"", true)]
    [InlineData("W/\"abc\"", true)]
    [InlineData("\"x\", W/\"abc\"", true)]
    [InlineData("*", true)]
    [InlineData("\"x\"", false)]
    [InlineData(null, false)]
    public async Task A_conditional_answer_is_304_when_the_client_has_it(string? ifNoneMatch, bool notModified)
    {
        var http = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider() };
        http.Response.Body = new MemoryStream();
        if (ifNoneMatch is not null)
        {
            http.Request.Headers.IfNoneMatch = ifNoneMatch;
        }

        await Conditional.Ok(new Body(1), new EntityTagHeaderValue("\"abc\"")).ExecuteAsync(http);

        Assert.Equal(notModified ? StatusCodes.Status304NotModified : StatusCodes.Status200OK, http.Response.StatusCode);
        Assert.Equal("\"abc\"", http.Response.Headers.ETag.ToString());
        Assert.Equal("private, no-cache", http.Response.Headers.CacheControl.ToString());
        Assert.Equal(notModified ? 0 : http.Response.Body.Length, http.Response.Body.Length);
        Assert.True(notModified || http.Response.Body.Length > 0);
    }

    private static HttpRequest Request(string json, string contentType = "application/json") => Request(Encoding.UTF8.GetBytes(json), contentType);

    private static HttpRequest Request(byte[] body, string contentType = "application/json")
    {
        var request = Query();
        request.ContentType = contentType;
        request.ContentLength = body.Length;
        request.Body = new MemoryStream(body);
        return request;
    }

    /// <summary>A request with the services JsonBody reads its options from (ASP.NET Core's defaults: this project reflects).</summary>
    private static HttpRequest Query(string query = "")
    {
        var http = new DefaultHttpContext { RequestServices = new ServiceCollection().AddOptions().BuildServiceProvider() };
        http.Request.QueryString = new QueryString(query);
        return http.Request;
    }
}
