namespace ShelfAgent.Sensors;

/// <summary>
/// One slot's sensor, as the sampler sees it. Hardware drivers (HX711, NAU7802, ADS1115) and the
/// simulated load cell implement it, so the sampling pipeline never knows which one it is talking to.
/// </summary>
public interface ISensor : IAsyncDisposable
{
    /// <summary>A short description for logs and the technician's tables, e.g. "hx711 gpiochip0:5/6".</summary>
    string Describe { get; }

    /// <summary>
    /// Takes one sample in the sensor's raw unit: ADC counts for load-cell converters, volts for an
    /// analog level sensor, grams for the simulated load cell. Calibration (see <see cref="Calibration"/>)
    /// turns it into grams.
    /// </summary>
    /// <exception cref="IOException">The bus failed (NACK, missing device, permission denied).</exception>
    /// <exception cref="TimeoutException">The chip never reported a conversion ready.</exception>
    ValueTask<double> ReadRawAsync(CancellationToken cancellationToken);
}
