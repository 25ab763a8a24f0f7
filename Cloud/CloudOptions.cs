namespace ShelfAgent.Cloud;

/// <summary>
/// The optional parts of the stack, from CDK context (-c key=value). Everything that costs money while idle is
/// off unless asked for; the transactional sources need an existing database's identifiers, so they are on only
/// when those are given. A half-configured part is an error that names the missing key.
/// </summary>
/// <param name="Sales">RDS → DMS change data capture, or null.</param>
/// <param name="PurchasesStreamArn">Stream ARN of an existing DynamoDB table (NEW_AND_OLD_IMAGES), or null.</param>
/// <param name="Redshift">Redshift Serverless over the curated tables (-c redshift=true).</param>
/// <param name="RedshiftSubnetIds">Subnets for the Redshift workgroup (empty: the default VPC's).</param>
/// <param name="SageMakerTrainingImage">Training image URI for the SageMaker pipeline (-c sagemaker=true -c trainingImage=…), or null.</param>
public sealed record CloudOptions(
    SalesDatabase? Sales, string? PurchasesStreamArn, bool Redshift, IReadOnlyList<string> RedshiftSubnetIds, string? SageMakerTrainingImage)
{
    /// <summary>Nothing optional.</summary>
    public static CloudOptions Defaults { get; } = new(null, null, false, [], null);

    /// <summary>Reads the options; <paramref name="context"/> returns a context value or null.</summary>
    /// <exception cref="ArgumentException">A part is configured only halfway; the message names the key.</exception>
    public static CloudOptions FromContext(Func<string, string?> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        SalesDatabase? sales = null;
        if (context("salesDbSecretArn") is { Length: > 0 } secret)
        {
            string Required(string key) => context(key) is { Length: > 0 } v
                ? v
                : throw new ArgumentException($"Context '{key}' is required when salesDbSecretArn is set (Cloud/README.md \"Transactional sources\").");
            var engine = Required("salesDbEngine");
            if (engine is not ("mysql" or "aurora" or "postgres" or "aurora-postgresql"))
            {
                throw new ArgumentException($"Context 'salesDbEngine' must be mysql, aurora, postgres or aurora-postgresql, not '{engine}'.");
            }

            sales = new SalesDatabase(
                engine,
                secret,
                Required("salesDbName"),
                context("salesDbSchema") ?? (engine.Contains("postgres", StringComparison.Ordinal) ? "public" : Required("salesDbName")),
                context("salesDbTable") ?? "sales",
                List(Required("salesDbSubnetIds")),
                List(Required("salesDbSecurityGroupIds")));
        }

        var sagemaker = Flag(context("sagemaker"), "sagemaker");
        var image = context("trainingImage");
        if (sagemaker && string.IsNullOrEmpty(image))
        {
            throw new ArgumentException(
                "Context 'trainingImage' is required when sagemaker=true (an ECR image URI, e.g. the region's SageMaker XGBoost image).");
        }

        return new CloudOptions(sales, context("purchasesStreamArn") is { Length: > 0 } stream ? stream : null,
            Flag(context("redshift"), "redshift"), List(context("redshiftSubnetIds") ?? ""), sagemaker ? image : null);
    }

    private static bool Flag(string? value, string key) => value switch
    {
        null or "" => false,
        _ when bool.TryParse(value, out var b) => b,
        _ => throw new ArgumentException($"Context '{key}' must be true or false, got '{value}'."),
    };

    private static string[] List(string value) => value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>An existing RDS database whose sales table DMS replicates (CDC) into the lake.</summary>
/// <param name="Engine">DMS engine name: mysql, aurora, postgres, aurora-postgresql.</param>
/// <param name="SecretArn">Secrets Manager secret with host, port, username, password (the RDS-managed secret works).</param>
/// <param name="DatabaseName">Database name.</param>
/// <param name="Schema">Schema of the sales table.</param>
/// <param name="Table">Sales table name (columns in Cloud/README.md).</param>
/// <param name="SubnetIds">Subnets DMS Serverless runs in (that reach the database).</param>
/// <param name="SecurityGroupIds">Security groups DMS uses (allowed by the database's).</param>
public sealed record SalesDatabase(
    string Engine, string SecretArn, string DatabaseName, string Schema, string Table, IReadOnlyList<string> SubnetIds, IReadOnlyList<string> SecurityGroupIds);
