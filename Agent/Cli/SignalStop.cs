using System.Runtime.InteropServices;

namespace ShelfAgent.Cli;

/// <summary>
/// Ctrl-C (SIGINT) and SIGTERM as a cancellation, for the commands that draw on the terminal until stopped
/// (<c>watch</c>, <c>sensors read</c>): they then end in order, their last screen written and the cursor Spectre hid
/// given back. Left to the runtime, either signal ends the process mid-draw.
/// </summary>
internal sealed class SignalStop : IDisposable
{
    private readonly CancellationTokenSource _stop;
    private readonly PosixSignalRegistration _sigint;
    private readonly PosixSignalRegistration _sigterm;

    /// <summary>Stops on either signal, or when <paramref name="outer"/> is cancelled.</summary>
    public SignalStop(CancellationToken outer)
    {
        _stop = CancellationTokenSource.CreateLinkedTokenSource(outer);
        _sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        _sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
    }

    /// <summary>Cancelled by a signal or the outer token.</summary>
    public CancellationToken Token => _stop.Token;

    /// <summary>Stops without a signal (the input ended).</summary>
    public Task StopAsync() => _stop.CancelAsync();

    /// <inheritdoc />
    public void Dispose()
    {
        _sigint.Dispose();
        _sigterm.Dispose();
        _stop.Dispose();
    }

    private void OnSignal(PosixSignalContext signal)
    {
        signal.Cancel = true;
        _ = _stop.CancelAsync(); // not on the signal's thread: the command's ending runs after it
    }
}
