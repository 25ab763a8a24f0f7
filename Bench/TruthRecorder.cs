using System.Buffers;
using System.Text;
using System.Text.Json;
using ShelfAgent.Backtest.Scoring;
using ShelfAgent.Simulator.Traces;

namespace ShelfAgent.Bench;

/// <summary>
/// Turns the simulator's truth events into <see cref="GroundTruth"/> through the truth file's own writer and reader,
/// so <c>shelf-bench forecast</c> scores exactly what <c>shelf-agent backtest --truth</c> would from the files.
/// </summary>
internal sealed class TruthRecorder : IDisposable
{
    private readonly ArrayBufferWriter<byte> _buffer = new(256);
    private readonly Utf8JsonWriter _writer;
    private readonly Dictionary<string, DateTimeOffset> _open = new(StringComparer.Ordinal);

    public TruthRecorder()
    {
        _writer = new Utf8JsonWriter(_buffer);
    }

    public GroundTruth Truth { get; } = new();

    public void Dispose() => _writer.Dispose();

    public void Add(TruthEvent e)
    {
        TraceWriter.WriteTruth(_writer, e, _open);
        _writer.Flush();
        if (!Truth.TryAdd(Encoding.UTF8.GetString(_buffer.WrittenSpan), out var problem))
        {
            throw new InvalidOperationException($"truth line not readable: {problem}");
        }

        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
    }
}
