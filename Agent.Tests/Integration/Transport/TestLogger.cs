using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace ShelfAgent.Tests.Integration.Transport;

/// <summary>Sends log lines to the xunit output of the test, so a failing integration test shows what the client saw.</summary>
public sealed class TestLogger<T>(ITestOutputHelper? output) : ILogger<T>
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        try
        {
            output?.WriteLine(
                $"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {formatter(state, exception)}" +
                $"{(exception is null ? "" : " " + exception.GetType().Name + ": " + exception.Message)}");
        }
        catch (InvalidOperationException)
        {
            // The test already finished.
        }
    }
}
