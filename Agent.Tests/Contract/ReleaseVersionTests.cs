using ShelfAgent.Contract;

namespace ShelfAgent.Tests.Contract;

public sealed class ReleaseVersionTests
{
    [Theory]
    [InlineData("1.4.0", "1.3.9", 1)]
    [InlineData("1.10.0", "1.9.0", 1)]
    [InlineData("1.4.0", "1.4.0+abc", 0)]
    [InlineData("1.4.0-dev.3.ab", "1.4.0", -1)]
    [InlineData("0.1.0-dev.10.aa", "0.1.0-dev.9.ff", 1)]
    [InlineData("2.0.0", "10.0.0", -1)]
    public void Compares_versions_the_semver_way(string a, string b, int sign)
    {
        Assert.Equal(sign, Math.Sign(ReleaseVersion.Compare(a, b)));
        Assert.Equal(-sign, Math.Sign(ReleaseVersion.Compare(b, a)));
    }

    [Theory]
    [InlineData("1.4.0", true)]
    [InlineData("0.1.0-dev.42.ab12cd34", true)]
    [InlineData("../etc", false)]
    [InlineData("1.0/x", false)]
    [InlineData("v1.0", false)]
    [InlineData("", false)]
    public void A_version_is_valid_only_when_it_is_a_safe_folder_name(string version, bool valid) =>
        Assert.Equal(valid, ReleaseVersion.IsValid(version));
}
