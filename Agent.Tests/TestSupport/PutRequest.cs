namespace ShelfAgent.Tests.TestSupport;

/// <summary>One request <see cref="HttpsPutListener"/> received.</summary>
public sealed record PutRequest(string Method, string PathAndQuery, string? ContentType, string Body);
