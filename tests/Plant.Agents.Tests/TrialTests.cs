using System.Net;
using System.Text.Json;
using Plant.Agents.Tests.Support;
using Plant.Testing.Hosting;

namespace Plant.Agents.Tests;

/// <summary>A seeded catalog whose trials last 3 days (PLANT_TRIAL_DAYS).</summary>
public sealed class TrialCatalog : SeededCatalog
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["PLANT_TRIAL_DAYS"] = "3" };
}

/// <summary>POST /api/v1/trials, GET /api/v1/trials/{id}, POST /api/v1/trials/{id}/cancel. Each test has its own customer.</summary>
public sealed class TrialTests(TrialCatalog catalog) : IClassFixture<TrialCatalog>
{
    private static readonly Guid s_sentinel = Seeded.Agent("Sentinel");

    [Fact]
    public async Task A_trial_starts_for_the_configured_length_and_reads_back()
    {
        var customer = NewCustomer();
        using var response = await StartAsync(s_sentinel, customer);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var trial = await BodyAsync(response);
        var id = trial.GetProperty("id").GetGuid();
        Assert.Equal($"/api/v1/trials/{id}", response.Headers.Location!.OriginalString);
        Assert.Equal(s_sentinel, trial.GetProperty("agentId").GetGuid());
        Assert.Equal(customer, trial.GetProperty("customer").GetProperty("id").GetString());
        Assert.Equal("active", trial.GetProperty("status").GetString());
        Assert.Equal(TimeSpan.FromDays(3), trial.GetProperty("endsAt").GetDateTimeOffset() - trial.GetProperty("startsAt").GetDateTimeOffset());
        Assert.InRange(trial.GetProperty("startsAt").GetDateTimeOffset(), DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(5));
        Assert.Equal(1, trial.GetProperty("version").GetInt32());

        var read = await catalog.GetJsonAsync($"/api/v1/trials/{id}");
        Assert.Equal(trial.ToString(), read.ToString());
        // Started by the verified caller: the function key's name.
        Assert.Equal("key:function-1", await catalog.ScalarAsync<string>("select created_by from catalog.entity_version where entity_id = @id", ("id", id)));
    }

    [Fact]
    public async Task The_email_is_not_stored_anywhere()
    {
        var customer = NewCustomer();
        using var response = await StartAsync(s_sentinel, customer, email: "findme-unique@example.com", key: Guid.NewGuid().ToString());
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);

        Assert.Equal(0L, await catalog.ScalarAsync<long>("""
            select (select count(*) from catalog.trial t where t::text like '%findme-unique%')
                 + (select count(*) from catalog.entity_version v where v::text like '%findme-unique%')
                 + (select count(*) from plant_agents.idempotency_key k where k::text like '%findme-unique%')
            """));
        Assert.DoesNotContain("findme-unique", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_start_while_one_is_active_is_409_naming_the_active_trial()
    {
        var customer = NewCustomer();
        using var first = await StartAsync(s_sentinel, customer);
        var id = (await BodyAsync(first)).GetProperty("id").GetGuid();

        using var second = await StartAsync(s_sentinel, customer);
        using var otherAgent = await StartAsync(Seeded.Agent("Mule Hunter"), customer);
        using var otherCustomer = await StartAsync(s_sentinel, NewCustomer());

        var problem = await Problem.AssertAsync(second, HttpStatusCode.Conflict, "trial-active");
        Assert.Equal(id, problem.GetProperty("trialId").GetGuid());
        Assert.Equal(HttpStatusCode.Created, otherAgent.StatusCode);
        Assert.Equal(HttpStatusCode.Created, otherCustomer.StatusCode);
        Assert.Equal(1L, await TrialsOfAsync(customer, s_sentinel));
    }

    [Fact]
    public async Task An_Idempotency_Key_makes_a_retry_answer_the_same_trial()
    {
        var customer = NewCustomer();
        var key = Guid.NewGuid().ToString();

        using var first = await StartAsync(s_sentinel, customer, key: key);
        using var retry = await StartAsync(s_sentinel, customer, key: key);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal("true", Assert.Single(retry.Headers.GetValues("Idempotent-Replayed")));
        Assert.Equal((await BodyAsync(first)).ToString(), (await BodyAsync(retry)).ToString());
        Assert.Equal(1L, await TrialsOfAsync(customer, s_sentinel));
    }

    [Fact]
    public async Task The_same_Idempotency_Key_for_another_request_is_422()
    {
        var key = Guid.NewGuid().ToString();
        using var first = await StartAsync(s_sentinel, NewCustomer(), key: key);
        var before = await catalog.DigestAsync();

        using var other = await StartAsync(Seeded.Agent("Mule Hunter"), NewCustomer(), key: key);

        var problem = await Problem.AssertAsync(other, HttpStatusCode.UnprocessableEntity, "idempotency-key-reused");
        Assert.Equal("Idempotency-Key", problem.GetProperty("parameter").GetString());
        Assert.Equal(before, await catalog.DigestAsync());
    }

    [Fact]
    public async Task Concurrent_starts_of_the_same_trial_give_one_row()
    {
        var customer = NewCustomer();

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => StartAsync(s_sentinel, customer)));

        var statuses = responses.Select(r => r.StatusCode).ToList();
        Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.Created));
        Assert.Equal(7, statuses.Count(s => s == HttpStatusCode.Conflict));
        Assert.Equal(1L, await TrialsOfAsync(customer, s_sentinel));
        Assert.Equal(1L, await catalog.ScalarAsync<long>(
            "select count(*) from catalog.entity e where e.entity_type = 'trial' and exists (select 1 from catalog.entity_version v join catalog.trial t on t.version_id = v.version_id where v.entity_id = e.entity_id and t.customer_ref = @c)",
            ("c", customer)));
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task Concurrent_retries_with_one_Idempotency_Key_all_answer_the_one_trial()
    {
        var customer = NewCustomer();
        var key = Guid.NewGuid().ToString();

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => StartAsync(s_sentinel, customer, key: key)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var ids = await Task.WhenAll(responses.Select(async r => (await BodyAsync(r)).GetProperty("id").GetGuid()));
        Assert.Single(ids.Distinct());
        Assert.Equal(1L, await TrialsOfAsync(customer, s_sentinel));
        Assert.Equal(7, responses.Count(r => r.Headers.Contains("Idempotent-Replayed")));
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task Cancel_writes_a_new_version_twice_is_harmless_and_a_new_trial_may_start()
    {
        var customer = NewCustomer();
        using var started = await StartAsync(s_sentinel, customer);
        var id = (await BodyAsync(started)).GetProperty("id").GetGuid();

        using var cancel = await catalog.SendAsync(HttpMethod.Post, $"/api/v1/trials/{id}/cancel");
        using var again = await catalog.SendAsync(HttpMethod.Post, $"/api/v1/trials/{id}/cancel");
        var read = await catalog.GetJsonAsync($"/api/v1/trials/{id}");
        using var restart = await StartAsync(s_sentinel, customer);

        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        var cancelled = await BodyAsync(cancel);
        Assert.Equal(("cancelled", 2), (cancelled.GetProperty("status").GetString(), cancelled.GetProperty("version").GetInt32()));
        Assert.NotEqual(JsonValueKind.Null, cancelled.GetProperty("cancelledAt").ValueKind);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(cancelled.ToString(), (await BodyAsync(again)).ToString());
        Assert.Equal(cancelled.ToString(), read.ToString());
        Assert.Equal(HttpStatusCode.Created, restart.StatusCode);
        Assert.Equal(2L, await catalog.ScalarAsync<long>("select count(*) from catalog.entity_version where entity_id = @id", ("id", id)));
        Assert.Equal("retired", await catalog.ScalarAsync<string>("select status from catalog.entity_version where entity_id = @id and is_current", ("id", id)));
    }

    [Fact]
    public async Task An_ended_trial_stays_readable_cannot_be_cancelled_and_does_not_block_a_new_one()
    {
        var customer = NewCustomer();
        using var started = await StartAsync(s_sentinel, customer);
        var id = (await BodyAsync(started)).GetProperty("id").GetGuid();
        // Time passes: the trial's end moves into the past (as the clock would move past it).
        await catalog.ExecuteAsync("""
            update catalog.trial set starts_at = now() - interval '4 days', ends_at = now() - interval '1 day'
            where version_id = (select version_id from catalog.entity_version where entity_id = @id and is_current)
            """, ("id", id));

        var read = await catalog.GetJsonAsync($"/api/v1/trials/{id}");
        using var cancel = await catalog.SendAsync(HttpMethod.Post, $"/api/v1/trials/{id}/cancel");
        using var restart = await StartAsync(s_sentinel, customer);

        Assert.Equal("ended", read.GetProperty("status").GetString());
        await Problem.AssertAsync(cancel, HttpStatusCode.Conflict, "trial-ended");
        Assert.Equal(HttpStatusCode.Created, restart.StatusCode);
    }

    [Theory]
    [InlineData("suspended", "active", "certified")]
    [InlineData("retired", "active", "certified")]
    [InlineData("active", "pending", "pending")]
    [InlineData("active", "rejected", "rejected")]
    public async Task Only_an_active_certified_agent_can_be_tried(string status, string certificationBefore, string certification)
    {
        var agent = await CatalogRows.InsertAgentAsync(catalog.DataSource, $"Untriable {status} {certification} {Guid.NewGuid():N}", 10m,
            Seeded.Industry("Healthcare"), certification: certificationBefore == "pending" ? "pending" : "certified");
        if (status != "active")
        {
            await CatalogRows.SetStatusAsync(catalog.DataSource, agent, status);
        }

        if (certification == "rejected")
        {
            await CatalogRows.SetCertificationAsync(catalog.DataSource, agent, "rejected");
        }

        var before = await catalog.DigestAsync();
        using var response = await StartAsync(agent, NewCustomer());

        var problem = await Problem.AssertAsync(response, HttpStatusCode.Conflict, "agent-unavailable");
        Assert.Contains(status, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await catalog.DigestAsync());
    }

    [Fact]
    public async Task Unknown_trials_are_404()
    {
        using var read = await catalog.SendAsync(HttpMethod.Get, $"/api/v1/trials/{Guid.NewGuid()}");
        using var cancel = await catalog.SendAsync(HttpMethod.Post, $"/api/v1/trials/{Guid.NewGuid()}/cancel");
        using var agentIsNoTrial = await catalog.SendAsync(HttpMethod.Get, $"/api/v1/trials/{s_sentinel}");

        await Problem.AssertAsync(read, HttpStatusCode.NotFound, "not-found");
        await Problem.AssertAsync(cancel, HttpStatusCode.NotFound, "not-found");
        await Problem.AssertAsync(agentIsNoTrial, HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task A_trial_read_has_an_ETag_and_answers_304()
    {
        using var started = await StartAsync(s_sentinel, NewCustomer());
        var id = (await BodyAsync(started)).GetProperty("id").GetGuid();

        using var read = await catalog.SendAsync(HttpMethod.Get, $"/api/v1/trials/{id}");
        using var again = await catalog.SendAsync(HttpMethod.Get, $"/api/v1/trials/{id}", null, ("If-None-Match", read.Headers.ETag!.Tag));
        using (var cancel = await catalog.SendAsync(HttpMethod.Post, $"/api/v1/trials/{id}/cancel"))
        {
            Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        }

        using var afterCancel = await catalog.SendAsync(HttpMethod.Get, $"/api/v1/trials/{id}", null, ("If-None-Match", read.Headers.ETag!.Tag));

        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
        Assert.Equal(HttpStatusCode.OK, afterCancel.StatusCode);
    }

    private static string NewCustomer() => "customer-" + Guid.NewGuid().ToString("N");

    private Task<HttpResponseMessage> StartAsync(Guid agent, string customer, string email = "someone@example.com", string? key = null) =>
        catalog.SendAsync(HttpMethod.Post, "/api/v1/trials", $$$"""{"agentId":"{{{agent}}}","customer":{"id":"{{{customer}}}","email":"{{{email}}}"}}""",
            key is null ? [] : [("Idempotency-Key", key)]);

    private static async Task<JsonElement> BodyAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    private Task<long> TrialsOfAsync(string customer, Guid agent) => catalog.ScalarAsync<long>(
        "select count(distinct v.entity_id) from catalog.trial t join catalog.entity_version v on v.version_id = t.version_id where t.customer_ref = @c and t.agent_id = @a",
        ("c", customer), ("a", agent));
}
