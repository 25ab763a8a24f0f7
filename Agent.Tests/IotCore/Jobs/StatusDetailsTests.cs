using System.Text.RegularExpressions;
using FsCheck;
using FsCheck.Fluent;
using ShelfAgent.IotCore.Jobs;

namespace ShelfAgent.Tests.IotCore.Jobs;

/// <summary>statusDetails within AWS's limits ("JobExecutionStatusDetails"): ≤ 10 pairs, keys [a-zA-Z0-9:_-]{1,128}, values [^\p{C}]{1,128}.</summary>
public sealed partial class StatusDetailsTests
{
    [Fact]
    public void Ten_pairs_pass_unchanged_in_order()
    {
        var pairs = Enumerable.Range(1, 10).Select(i => new KeyValuePair<string, string>($"k{i}", $"v{i}")).ToList();

        Assert.Equal(pairs, StatusDetails.Limit(pairs));
    }

    [Fact]
    public void Eleven_pairs_keep_the_first_nine_and_count_the_rest_in_an_omitted_pair()
    {
        var pairs = Enumerable.Range(1, 14).Select(i => new KeyValuePair<string, string>($"k{i}", $"v{i}")).ToList();

        var limited = StatusDetails.Limit(pairs);

        Assert.Equal(10, limited.Count);
        Assert.Equal(pairs.Take(9), limited.Take(9));
        Assert.Equal("omitted", limited[9].Key);
        Assert.StartsWith("5 more details", limited[9].Value, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("device certificate", "device_certificate")]
    [InlineData("Slots:A1:LowStockAt", "Slots:A1:LowStockAt")]
    [InlineData("ключ", "____")]
    [InlineData("", "detail")]
    public void A_key_outside_the_pattern_gets_underscores(string key, string expected)
    {
        Assert.Equal(expected, StatusDetails.Key(key));
    }

    [Fact]
    public void A_long_key_is_cut_to_128()
    {
        Assert.Equal(128, StatusDetails.Key(new string('k', 300)).Length);
    }

    [Fact]
    public void A_long_value_is_cut_to_128_ending_in_an_ellipsis()
    {
        var value = StatusDetails.Value(new string('x', 500));

        Assert.Equal(128, value.Length);
        Assert.EndsWith("…", value, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cut_never_splits_a_surrogate_pair()
    {
        // 126 ASCII characters, then emoji (2 UTF-16 units each): position 127 is the high half of a pair.
        var value = StatusDetails.Value(new string('x', 126) + string.Concat(Enumerable.Repeat("😀", 10)));

        Assert.True(value.Length <= 128);
        Assert.True(HasOnlyWholePairs(value), value);
        Assert.EndsWith("…", value, StringComparison.Ordinal);
    }

    [Fact]
    public void Control_characters_and_newlines_become_spaces()
    {
        Assert.Equal("line one  line two x", StatusDetails.Value("line one\r\nline two\tx"));
        Assert.Equal("a b", StatusDetails.Value("a\u0000b"));
        Assert.Equal("-", StatusDetails.Value("\n\n"));
        Assert.Equal("-", StatusDetails.Value(""));
    }

    [Fact]
    public void Keys_that_become_equal_get_a_suffix()
    {
        var limited = StatusDetails.Limit([new("a b", "1"), new("a_b", "2"), new("a?b", "3")]);

        Assert.Equal(["a_b", "a_b-2", "a_b-3"], limited.Select(p => p.Key));
    }

    [Fact]
    public void Any_input_comes_out_within_AWS_limits()
    {
        var text = ArbMap.Default.GeneratorFor<string>().Select(s => s ?? "");
        var pair = text.SelectMany(k => text.Select(v => new KeyValuePair<string, string>(k, v)));
        Prop.ForAll(pair.ListOf().ToArbitrary(), pairs =>
        {
            var limited = StatusDetails.Limit(pairs);
            Assert.True(limited.Count <= 10);
            Assert.Equal(limited.Count, limited.Select(p => p.Key).Distinct(StringComparer.Ordinal).Count());
            foreach (var (key, value) in limited)
            {
                Assert.Matches(KeyPattern(), key);
                Assert.InRange(value.Length, 1, 128);
                Assert.True(HasOnlyWholePairs(value), value);
                Assert.DoesNotMatch(OtherCharacter(), value.Replace("…", "", StringComparison.Ordinal) is { Length: > 0 } v ? StripPairs(v) : "x");
            }
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void A_long_run_of_realistic_detail_keeps_its_meaning_at_the_start()
    {
        var detail = "dt/shelf/store-1/shelf-1/doctor: not authorized (0x87): the IoT policy does not allow iot:Publish on this topic; " + new string('.', 200);

        Assert.StartsWith("dt/shelf/store-1/shelf-1/doctor: not authorized (0x87)", StatusDetails.Value(detail), StringComparison.Ordinal);
    }

    private static bool HasOnlyWholePairs(string s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]))
            {
                if (i + 1 >= s.Length || !char.IsLowSurrogate(s[i + 1]))
                {
                    return false;
                }

                i++;
            }
            else if (char.IsLowSurrogate(s[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whole pairs are one code point (not \p{Cs}); .NET's regex sees halves, so take them out before matching.</summary>
    private static string StripPairs(string s) => SurrogatePair().Replace(s, "x");

    [GeneratedRegex("^[a-zA-Z0-9:_-]{1,128}$")]
    private static partial Regex KeyPattern();

    [GeneratedRegex(@"[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Cs}]")]
    private static partial Regex OtherCharacter();

    [GeneratedRegex(@"[\uD800-\uDBFF][\uDC00-\uDFFF]")]
    private static partial Regex SurrogatePair();
}
