using Plant.Core.Constitution;
using Plant.Core.Seed;
using Xunit;

namespace Plant.Core.Tests.Constitution;

/// <summary>The scanners on their own; <see cref="RuleCases"/> covers them through the validator and its field paths.</summary>
public sealed class SensitiveTextTests
{
    [Theory]
    [InlineData("reach me at first.last+tag@sub.example.museum today", SensitiveKind.Email)]
    [InlineData("tel. +49 30 901820", SensitiveKind.Phone)]
    [InlineData("(020) 7946 0958", SensitiveKind.Phone)]
    [InlineData("6011 1111 1111 1117", SensitiveKind.PaymentCard)]
    [InlineData("AKIAIOSFODNN7EXAMPLE", SensitiveKind.ApiKey)]
    [InlineData("npm_abcdefghijklmnopqrstuvwxyz0123456789", SensitiveKind.ApiKey)]
    [InlineData("glpat-abcdefghijklmnopqrst", SensitiveKind.ApiKey)]
    [InlineData("Bearer: abcdefghijklmnopqrstuvwxyz", SensitiveKind.BearerToken)]
    [InlineData("-----BEGIN EC PRIVATE KEY-----", SensitiveKind.PrivateKey)]
    [InlineData("-----BEGIN PGP PRIVATE KEY BLOCK-----", SensitiveKind.PrivateKey)]
    [InlineData("mail a@b.io or call +1 415 555 0123 with AKIAIOSFODNN7EXAMPLE", SensitiveKind.Email | SensitiveKind.Phone | SensitiveKind.ApiKey)]
    public void Finds_each_kind(string text, object expected) => Assert.Equal((SensitiveKind)expected, SensitiveText.Find(text));

    [Theory]
    [InlineData("")]
    [InlineData("Assigns ICD-10-CM diagnosis codes and CPT and HCPCS procedure codes.")]
    [InlineData("Prices from $1,250.00 to $12 500; 3.14159265; order #123456789012345678901234")]
    [InlineData("AKIAIOSFODNN7EXAMPLEX is 21 characters; xAKIAIOSFODNN7EXAMPLE has a prefix glued on")]
    [InlineData("mask-sk-abcdefghijklmnopqrstuvwxyz is glued to a word")]
    [InlineData("-----BEGIN")]
    [InlineData("Bearer")]
    [InlineData("a@b")]
    [InlineData("@@@@")]
    [InlineData("(415)")]
    [InlineData("+")]
    public void Leaves_ordinary_text_alone(string text) => Assert.Equal(SensitiveKind.None, SensitiveText.Find(text));

    /// <summary>
    /// The shortest key of each kind, at every position of texts on both sides of the length from which the
    /// vectorised prefix search takes over, up to the very end: the scan may stop early only where no key fits.
    /// </summary>
    [Theory]
    [InlineData("xoxb-1234567890", SensitiveKind.ApiKey)]
    [InlineData("AKIAIOSFODNN7EXAMPLE", SensitiveKind.ApiKey)]
    [InlineData("sk-abcdefghijklmnopqrst", SensitiveKind.ApiKey)]
    [InlineData("eyJhbGciOiJ.eyJzdWIiOi.x", SensitiveKind.ApiKey)]
    [InlineData("Bearer abcdefghijklmnopqrst", SensitiveKind.BearerToken)]
    [InlineData("-----BEGIN PRIVATE KEY-----", SensitiveKind.PrivateKey)]
    public void Finds_a_key_wherever_it_starts_up_to_the_end_of_the_text(string key, object expected)
    {
        for (var before = 0; before <= 80; before++)
        {
            Assert.Equal((SensitiveKind)expected, SensitiveText.Find(new string(' ', before) + key));
            Assert.Equal((SensitiveKind)expected, SensitiveText.Find(new string(' ', before) + key + " ."));
        }
    }

    [Fact]
    public void Finds_nothing_in_any_text_of_the_baseline()
    {
        var texts = GenesisBaselineDrafts.All.SelectMany(e => new[] { e.Draft.Name, e.Draft.Description }.Concat(e.Draft.Tags));

        Assert.All(texts, text => Assert.Equal(SensitiveKind.None, SensitiveText.Find(text)));
    }

    [Fact]
    public void Never_throws_on_random_text_built_from_the_characters_the_scanners_look_at()
    {
        const string alphabet = "0123456789 -.()+@:/_\n\tabcxyzAKIASsk-eyJghp_BEGIN PRIVATE KEY-----bearer\u00e9\u200B\uD83D\uDE00";
        var random = new Random(20261121);
        var buffer = new char[120];
        for (var round = 0; round < 20_000; round++)
        {
            var length = random.Next(buffer.Length + 1);
            for (var i = 0; i < length; i++)
            {
                buffer[i] = alphabet[random.Next(alphabet.Length)];
            }

            var text = buffer.AsSpan(0, length);
            _ = SensitiveText.Find(text);
            _ = TextChecks.HasControlCharacters(text, allowLineBreaks: round % 2 == 0);
            _ = TextChecks.HasWords(text, 5);
        }
    }
}
