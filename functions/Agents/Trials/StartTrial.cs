using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using Plant.Agents.Wire;
using Plant.Core.Trials;
using Plant.Hosting;

namespace Plant.Agents.Trials;

/// <summary>
/// <c>POST /api/v1/trials</c> <c>{ agentId, customer: { id, email } }</c>: starts a trial of an active, certified
/// agent (201). With an <c>Idempotency-Key</c> header, a retry answers the same trial (201, <c>Idempotent-Replayed: true</c>).
/// 409 when the customer already has an active trial of the agent, or the agent cannot be tried.
/// </summary>
public sealed class StartTrial(TrialService trials)
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";
    public const int MaximumIdempotencyKeyLength = 255;
    public const int MaximumCustomerIdLength = 200;
    public const int MaximumEmailLength = 254;

    [Function(nameof(StartTrial))]
    [EndpointSummary("Start a trial")]
    [EndpointDescription("Starts a customer's trial of an active, certified agent. With an Idempotency-Key, a retry answers the same trial (201, Idempotent-Replayed: true).")]
    [HeaderParameter(IdempotencyKeyHeader, "Makes a retry safe: the same key answers the same trial.", MaxLength = MaximumIdempotencyKeyLength)]
    [ActorHeader]
    [ProblemType(StatusCodes.Status409Conflict, TrialProblems.AgentUnavailable, "the agent is not active and certified")]
    [ProblemType(StatusCodes.Status409Conflict, TrialProblems.TrialActive, "the customer already has an active trial of the agent; trialId names it")]
    [ProblemType(StatusCodes.Status422UnprocessableEntity, TrialProblems.IdempotencyKeyReused, "the Idempotency-Key was used for another agent or customer")]
    public async Task<Results<Created<TrialDto>, ProblemHttpResult>> Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "v1/trials")] HttpRequest request,
        StartTrialRequest body,
        CancellationToken cancellationToken)
    {
        QueryReader.For(request);
        var key = IdempotencyKey(request);
        var customerId = CustomerId(body.Customer);
        CheckEmail(body.Customer.Email);

        return await trials.StartAsync(body.AgentId, customerId, key, Actors.Of(request, "anonymous"), cancellationToken) switch
        {
            StartTrialResult.Started started => Created(request, started),
            StartTrialResult.UnknownAgent => throw new BadInputException("agentId", $"agentId '{body.AgentId}' names no agent."),
            StartTrialResult.AgentUnavailable unavailable => Problems.Result(
                StatusCodes.Status409Conflict, TrialProblems.AgentUnavailable, "Agent unavailable",
                $"Agent {body.AgentId} cannot be tried: it is {unavailable.Lifecycle} and its certification is {unavailable.Certification}; only active, certified agents can."),
            StartTrialResult.AlreadyActive active => Problems.Result(
                StatusCodes.Status409Conflict, TrialProblems.TrialActive, "Trial already active",
                $"The customer already has an active trial of agent {body.AgentId}.",
                new Dictionary<string, object?> { ["trialId"] = active.TrialId }),
            StartTrialResult.KeyReused => Problems.Result(
                StatusCodes.Status422UnprocessableEntity, TrialProblems.IdempotencyKeyReused, "Idempotency-Key reused",
                "This Idempotency-Key was used for another request (another agent or customer); use a new key for a new request.",
                new Dictionary<string, object?> { ["parameter"] = IdempotencyKeyHeader }),
            _ => throw new InvalidOperationException("Unknown start outcome."),
        };
    }

    private static Created<TrialDto> Created(HttpRequest request, StartTrialResult.Started started)
    {
        var trial = TrialDto.From(started.Trial);
        var headers = request.HttpContext.Response.Headers;
        headers.ETag = ETags.Content(trial).ToString();
        if (started.Replayed)
        {
            headers["Idempotent-Replayed"] = "true";
        }

        return TypedResults.Created($"{request.PathBase}{request.Path}/{trial.Id}", trial);
    }

    private static string? IdempotencyKey(HttpRequest request)
    {
        var values = request.Headers[IdempotencyKeyHeader];
        if (values.Count == 0)
        {
            return null;
        }

        var key = values.Count == 1 ? values[0] ?? "" : throw new BadInputException(IdempotencyKeyHeader, $"{IdempotencyKeyHeader} is given {values.Count} times; give it once.");
        return key.Length is >= 1 and <= MaximumIdempotencyKeyLength && key.All(c => c is >= ' ' and <= '~') && !string.IsNullOrWhiteSpace(key)
            ? key
            : throw new BadInputException(IdempotencyKeyHeader, $"{IdempotencyKeyHeader} must be 1 to {MaximumIdempotencyKeyLength} printable ASCII characters, such as a UUID.");
    }

    private static string CustomerId(TrialCustomer customer)
    {
        var id = customer.Id;
        return id.Length is >= 1 and <= MaximumCustomerIdLength && !string.IsNullOrWhiteSpace(id) && TextInput.IsPlain(id)
            ? id
            : throw new BadInputException("customer.id", $"customer.id must be 1 to {MaximumCustomerIdLength} characters, not blank, without control characters.");
    }

    /// <summary>
    /// A plausible address (one @, a dotted domain, no spaces): the portal's own validation is the real one, and the
    /// address is not stored (docs/AGENTS.md, personal data).
    /// </summary>
    private static void CheckEmail(string email)
    {
        var at = email.IndexOf('@', StringComparison.Ordinal);
        var valid = email.Length <= MaximumEmailLength
            && TextInput.IsPlain(email)
            && !email.Any(char.IsWhiteSpace)
            && at is > 0 and <= 64
            && email.IndexOf('@', at + 1) < 0
            && email[(at + 1)..] is { Length: > 2 } domain && domain.Contains('.', StringComparison.Ordinal) && !domain.StartsWith('.') && !domain.EndsWith('.');
        if (!valid)
        {
            throw new BadInputException("customer.email", "customer.email is not an e-mail address.");
        }
    }
}
