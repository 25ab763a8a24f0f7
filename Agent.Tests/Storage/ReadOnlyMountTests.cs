using ShelfAgent.Storage;

namespace ShelfAgent.Tests.Storage;

/// <summary>
/// In this process's own namespace; a folder on a read-only mount is checked through the agent's commands in a
/// namespace of their own (<see cref="ReadOnlyMountNamespace"/>: Cli/ConfigErrorTests, Diagnostics/DoctorFindingsTests).
/// </summary>
public sealed class ReadOnlyMountTests : IDisposable
{
    private readonly TempDirectory _dir = new("ro-mount");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_writable_folder_is_not_on_a_read_only_mount() => Assert.Null(ReadOnlyMount.Of(_dir.Path));

    [Fact]
    public void A_path_that_does_not_exist_cannot_be_told_and_says_so_with_null() => Assert.Null(ReadOnlyMount.Of(_dir.File("missing/deeper")));
}
