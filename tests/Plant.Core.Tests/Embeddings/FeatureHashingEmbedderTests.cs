using System.Security.Cryptography;
using System.Text;
using Plant.Core.Embeddings;

namespace Plant.Core.Tests.Embeddings;

public sealed class FeatureHashingEmbedderTests
{
    private static float Similarity(string a, string b) =>
        VectorMath.Dot(FeatureHashingEmbedder.Embed(a), FeatureHashingEmbedder.Embed(b));

    [Theory]
    [InlineData("", 0xcbf29ce484222325)]
    [InlineData("a", 0xaf63dc4c8601ec8c)]
    [InlineData("foobar", 0x85944171f73967e8)]
    public void The_hash_is_fnv1a_64_as_published(string text, ulong expected) =>
        Assert.Equal(expected, FeatureHash.Fnv1a(Encoding.UTF8.GetBytes(text)));

    [Fact]
    public async Task The_same_text_gives_the_same_vector_from_any_instance()
    {
        const string text = "Reconcile supplier invoices against purchase orders.";
        var first = FeatureHashingEmbedder.Embed(text);
        Assert.Equal(first, FeatureHashingEmbedder.Embed(text));
        Assert.Equal(first, (await new FeatureHashingEmbedder().EmbedAsync([text], default))[0]);
    }

    [Fact]
    public void The_vector_of_a_fixed_text_never_changes()
    {
        // Recorded from this implementation. Stored embeddings are only comparable with new ones while this holds:
        // if a change to the hash, the tokenizer or the weights is intended, re-embed the catalogue and record anew.
        var vector = FeatureHashingEmbedder.Embed("Invoice reconciliation for Accounts Payable, café-style!");
        var bytes = new byte[vector.Length * sizeof(float)];
        Buffer.BlockCopy(vector, 0, bytes, 0, bytes.Length);
        Assert.True(BitConverter.IsLittleEndian);
        Assert.Equal("C8B8AFB2D959FC13B5EC7DA5BCEC19157107AA3B1825AF39BC4B39B10F3AD995", Convert.ToHexString(SHA256.HashData(bytes)));
    }

    [Fact]
    public void A_single_word_lands_in_fixed_buckets_with_the_documented_weights()
    {
        // "kubernetes": the word (weight 1) and its ten trigrams "#ku" … "es#" (0.4 each), two of which share a
        // bucket and a sign, so the squared norm before normalising is 1 + 0.8² + 8 × 0.4² = 2.92.
        var vector = FeatureHashingEmbedder.Embed("kubernetes");
        var norm = MathF.Sqrt(2.92f);
        Assert.Equal(10, vector.Count(x => x != 0));
        Assert.Equal(-1.0f / norm, vector[57], 5);
        Assert.Equal(0.8f / norm, vector[37], 5);
        Assert.Equal(0.4f / norm, vector[24], 5);
        Assert.Equal(-0.4f / norm, vector[78], 5);
    }

    [Theory]
    [InlineData("kubernetes")]
    [InlineData("Invoice reconciliation for accounts payable")]
    [InlineData("the")]
    [InlineData("日本語のテキスト 😀 emoji and ünïcödé")]
    public void Vectors_have_384_dimensions_and_unit_length(string text)
    {
        var vector = FeatureHashingEmbedder.Embed(text);
        Assert.Equal(384, vector.Length);
        Assert.Equal(1.0, Math.Sqrt(vector.Sum(x => (double)x * x)), 5);
        Assert.Equal(384, new FeatureHashingEmbedder().Dimensions);
    }

    [Theory]
    [InlineData(
        "invoice reconciliation for accounts payable",
        "Accounting and finance: matching supplier invoices to payments, reconciling ledgers and accounts payable.",
        "Kubernetes cluster autoscaling: scale node pools and pods with demand.")]
    [InlineData(
        "kubernetes cluster autoscaling",
        "Operates Kubernetes clusters, tunes the cluster autoscaler and horizontal pod autoscaling.",
        "Prepares payroll, reconciles bank statements and files quarterly tax returns.")]
    [InlineData(
        "customer support ticket triage",
        "Triages incoming support tickets, answers customers and escalates urgent issues.",
        "Designs relational database schemas and tunes slow SQL queries.")]
    [InlineData(
        "postgresql query performance tuning",
        "Tunes slow PostgreSQL queries, reads query plans and designs indexes for performance.",
        "Writes marketing copy and plans social media campaigns.")]
    [InlineData(
        "recruiting software engineers",
        "Recruiter: sources and interviews software engineering candidates, manages the hiring pipeline.",
        "Monitors network security, investigates intrusion alerts and patches firewalls.")]
    [InlineData(
        "machine learning model training",
        "Trains machine learning models, tunes hyperparameters and evaluates model accuracy.",
        "Negotiates commercial leases and manages office facilities.")]
    public void A_related_description_ranks_above_an_unrelated_one(string query, string related, string unrelated)
    {
        var relatedScore = Similarity(query, related);
        var unrelatedScore = Similarity(query, unrelated);
        Assert.True(relatedScore > unrelatedScore + 0.1f, $"related {relatedScore:F3}, unrelated {unrelatedScore:F3}");
    }

    [Theory]
    [InlineData("invoices overdue", "Accounts payable")]
    [InlineData("k8s pods autoscaler", "Kubernetes operations")]
    [InlineData("hiring interviews", "Recruiting")]
    [InlineData("SQL indexes", "Database tuning")]
    [InlineData("phishing intrusion firewall", "Security operations")]
    public void A_query_finds_its_skill_first_in_a_small_catalogue(string query, string expected)
    {
        (string Name, string Description)[] catalogue =
        [
            ("Accounts payable", "Processes supplier invoices, chases overdue invoices, reconciles payments with the ledger."),
            ("Kubernetes operations", "Runs Kubernetes (k8s) clusters: deploys pods, configures the cluster autoscaler, upgrades nodes."),
            ("Recruiting", "Sources candidates, schedules interviews and runs the hiring process for open roles."),
            ("Database tuning", "Designs indexes, reads SQL query plans and speeds up slow database queries."),
            ("Security operations", "Investigates intrusion alerts, trains staff against phishing and maintains firewall rules."),
            ("Customer support", "Answers customer tickets by chat and email and escalates urgent problems."),
            ("Content marketing", "Writes blog posts, plans campaigns and measures audience engagement."),
        ];
        var queryVector = FeatureHashingEmbedder.Embed(query);
        var best = catalogue.MaxBy(s => VectorMath.Dot(queryVector, FeatureHashingEmbedder.Embed(s.Name + ". " + s.Description)));
        Assert.Equal(expected, best.Name);
    }

    [Fact]
    public void Word_order_matters_through_bigrams_but_only_a_little()
    {
        var reordered = Similarity("dog bites man", "man bites dog");
        Assert.InRange(reordered, 0.5f, 0.95f);
        Assert.Equal(1.0f, Similarity("dog bites man", "dog bites man"), 5);
    }

    [Fact]
    public void A_phrase_ranks_text_containing_the_phrase_above_text_with_the_same_words_apart()
    {
        const string query = "machine learning";
        var phrase = Similarity(query, "machine learning engineer");
        var apart = Similarity(query, "learning to repair a machine");
        Assert.True(phrase > apart, $"phrase {phrase:F3}, apart {apart:F3}");
    }

    [Fact]
    public void Case_punctuation_and_accents_do_not_matter()
    {
        Assert.Equal(FeatureHashingEmbedder.Embed("cafe resume naive"), FeatureHashingEmbedder.Embed("  Café, RÉSUMÉ -- naïve!!"));
    }

    [Fact]
    public void Inflections_are_related_through_character_trigrams()
    {
        var inflection = Similarity("invoices", "invoicing");
        var unrelated = Similarity("invoices", "kubernetes");
        Assert.True(inflection > 0.25f && inflection > 2 * unrelated, $"inflection {inflection:F3}, unrelated {unrelated:F3}");
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \t\n ")]
    [InlineData("?!... --- ;;")]
    public void Text_without_letters_or_digits_gives_the_zero_vector_which_ranks_last(string text)
    {
        var vector = FeatureHashingEmbedder.Embed(text);
        Assert.Equal(384, vector.Length);
        Assert.All(vector, x => Assert.Equal(0f, x));
        Assert.Equal(0f, VectorMath.Cosine(FeatureHashingEmbedder.Embed("anything at all"), vector));
    }

    [Fact]
    public void A_text_of_only_stop_words_still_has_a_vector()
    {
        Assert.NotEqual(0f, FeatureHashingEmbedder.Embed("to be or not to be").Max(Math.Abs));
        Assert.NotEqual(0f, FeatureHashingEmbedder.Embed("the").Max(Math.Abs));
    }

    [Fact]
    public async Task Embedding_several_texts_keeps_their_order_and_refuses_null()
    {
        var embedder = new FeatureHashingEmbedder();
        var vectors = await embedder.EmbedAsync(["alpha", "", "beta"], default);
        Assert.Equal(3, vectors.Count);
        Assert.Equal(FeatureHashingEmbedder.Embed("alpha"), vectors[0]);
        Assert.Equal(FeatureHashingEmbedder.Embed("beta"), vectors[2]);
        await Assert.ThrowsAsync<ArgumentException>(() => embedder.EmbedAsync(["alpha", null!], default));
    }
}
