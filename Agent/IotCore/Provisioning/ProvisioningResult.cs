namespace ShelfAgent.IotCore.Provisioning;

/// <summary>The end of a provisioning run.</summary>
/// <param name="Status">How it ended.</param>
/// <param name="Message">What happened, one line.</param>
/// <param name="Hint">What to do next, when it failed.</param>
/// <param name="Error">AWS's statusCode/errorCode/errorMessage for a rejected step.</param>
/// <param name="ThingName">The thing, once registered.</param>
public sealed record ProvisioningResult(ProvisioningStatus Status, string Message, string? Hint = null, AwsIotError? Error = null, string? ThingName = null);
