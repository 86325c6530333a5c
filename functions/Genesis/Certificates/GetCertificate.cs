using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using Npgsql;
using Plant.Core.Genesis;
using Plant.Genesis.Wire;
using Plant.Hosting;

namespace Plant.Genesis.Certificates;

/// <summary><c>GET /api/v1/genesis/certificates/{id}</c>: a certificate Genesis issued, with its payload and signature.</summary>
public sealed class GetCertificate(NpgsqlDataSource dataSource)
{
    [Function(nameof(GetCertificate))]
    [EndpointSummary("Get a certificate")]
    [EndpointDescription("A certificate Genesis issued: a readable copy of its statement, and payload (base64 of the exact signed bytes) and signature (base64), which are what counts.")]
    public async Task<Results<Ok<CertificateResponse>, ProblemHttpResult>> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v1/genesis/certificates/{id:guid}")] HttpRequest request,
        Guid id, CancellationToken cancellationToken)
    {
        QueryReader.For(request);
        return await CertificateStore.FindAsync(dataSource, id, cancellationToken) is { } certificate
            ? TypedResults.Ok(CertificateResponse.From(certificate))
            : NotFound(id);
    }

    /// <summary>404 for a certificate id Genesis never issued.</summary>
    internal static ProblemHttpResult NotFound(Guid id) => Problems.NotFoundResult($"Genesis has issued no certificate {id}.");
}
