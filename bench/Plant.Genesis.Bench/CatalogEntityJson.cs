namespace Plant.Genesis.Bench;

/// <summary>A typical catalog entity as Genesis certifies it: an agent version with its sections and links (about 1.3 KB).</summary>
internal static class CatalogEntityJson
{
    public const string Agent = """
        {
          "entityId": "5f0c7a8e-2f7d-4c1e-9b4a-0f3e6d2c1b7a",
          "entityType": "agent",
          "version": 3,
          "supersedes": "8d1e4b2c-6a3f-4e7d-8c9b-1a2b3c4d5e6f",
          "name": "Claims Triage Agent",
          "description": "Reads incoming insurance claims, extracts policy numbers, dates and amounts, checks them against the policy record and routes each claim to the right adjuster queue with a short summary of what is missing.",
          "status": "draft",
          "industryId": "0b6f5e4d-3c2b-4a19-8807-f6e5d4c3b2a1",
          "jobRoleId": "7c6b5a49-3827-4165-9fed-cba987654321",
          "seniority": "senior",
          "skills": [
            "11111111-2222-4333-8444-555555555555",
            "22222222-3333-4444-8555-666666666666",
            "33333333-4444-4555-8666-777777777777",
            "44444444-5555-4666-8777-888888888888"
          ],
          "tags": ["insurance", "claims", "triage", "routing", "summaries"],
          "attributes": {
            "languages": ["en", "de", "fr"],
            "maxConcurrentTasks": 8,
            "pricing": { "currency": "EUR", "monthly": 490, "trialDays": 7 },
            "sla": { "responseMinutes": 15, "availability": "business-hours" },
            "owner": "Plant Catalog Team",
            "region": "eu-west"
          },
          "createdBy": "function-1",
          "createdAt": "2026-01-14T12:30:45.123456Z"
        }
        """;
}
