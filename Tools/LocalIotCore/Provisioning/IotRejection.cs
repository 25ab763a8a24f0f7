namespace ShelfAgent.LocalIot.Provisioning;

/// <summary>A fleet provisioning error as AWS sends it on …/rejected: {statusCode, errorCode, errorMessage}.</summary>
public sealed record IotRejection(int StatusCode, string ErrorCode, string ErrorMessage);
