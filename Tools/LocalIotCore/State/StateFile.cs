namespace ShelfAgent.LocalIot.State;

/// <summary>Writes a file of the state folder whole or not at all: a temporary file (0600), flushed, renamed over the old one.</summary>
internal static class StateFile
{
    public static void WriteAtomically(string path, string text)
    {
        var temporary = path + ".tmp";
        File.Delete(temporary);
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        };
        using (var stream = new FileStream(temporary, options))
        {
            using var writer = new StreamWriter(stream);
            writer.Write(text);
            writer.Flush();
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }
}
