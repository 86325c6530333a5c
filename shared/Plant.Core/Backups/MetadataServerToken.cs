using System.Net.Http.Json;
using System.Text.Json.Serialization;

namespace Plant.Core.Backups;

/// <summary>An OAuth access token for Google APIs.</summary>
public interface IAccessTokenSource
{
    /// <exception cref="BackupException">No token could be had.</exception>
    Task<string> GetTokenAsync(CancellationToken ct);
}

/// <summary>
/// The service account's token from the metadata server that Cloud Run and every Google compute service provide
/// (<c>GET http://metadata.google.internal/computeMetadata/v1/instance/service-accounts/default/token</c> with
/// <c>Metadata-Flavor: Google</c>), kept until shortly before it expires.
/// </summary>
public sealed class MetadataServerToken(HttpClient http, string metadataHost, TimeProvider? time = null) : IAccessTokenSource
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (string Token, DateTimeOffset Until)? _cached;

    /// <inheritdoc/>
    public async Task<string> GetTokenAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            if (_cached is { } cached && cached.Until > _time.GetUtcNow())
            {
                return cached.Token;
            }

            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"http://{metadataHost}/computeMetadata/v1/instance/service-accounts/default/token"));
            request.Headers.Add("Metadata-Flavor", "Google");
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            TokenResponse? token;
            try
            {
                using var response = await http.SendAsync(request, timeout.Token);
                if (!response.IsSuccessStatusCode)
                {
                    throw new BackupException($"The metadata server at {metadataHost} answered {(int)response.StatusCode} to the token request.");
                }

                token = await response.Content.ReadFromJsonAsync(BackupsJsonContext.Default.TokenResponse, timeout.Token);
            }
            catch (Exception e) when (e is HttpRequestException or System.Text.Json.JsonException || e is OperationCanceledException && !ct.IsCancellationRequested)
            {
                throw new BackupException($"No access token from the metadata server at {metadataHost} ({e.GetType().Name}); Cloud SQL backups need Google's metadata server (set {Configuration.MigrationSettings.MetadataHostSetting} where it is elsewhere).", e);
            }

            if (token is null || string.IsNullOrEmpty(token.AccessToken))
            {
                throw new BackupException($"The metadata server at {metadataHost} answered without an access token.");
            }

            // A minute of margin, so that a token never expires between here and the API.
            _cached = (token.AccessToken, _time.GetUtcNow().AddSeconds(Math.Max(0, token.ExpiresIn - 60)));
            return token.AccessToken;
        }
        finally
        {
            _gate.Release();
        }
    }

    internal sealed record TokenResponse(
        [property: JsonPropertyName("access_token")] string AccessToken,
        [property: JsonPropertyName("expires_in")] int ExpiresIn);
}
