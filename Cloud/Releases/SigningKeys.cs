using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.KMS;
using Constructs;

namespace ShelfAgent.Cloud.Releases;

/// <summary>
/// The stack's asymmetric signing keys (ECC_NIST_P256, SIGN_VERIFY: ECDSA P-256 with SHA-256, the one algorithm the
/// agent verifies) and the public half of each as a stack output, read at deploy time by a small custom resource
/// (<c>Lambda/kms-public-key.js</c>): CloudFormation has no attribute for a KMS public key. The private half never
/// leaves KMS; who may sign is granted by the caller (a role's <c>kms:Sign</c> on the key's ARN), never by this class.
/// </summary>
public sealed class SigningKeys : Construct
{
    private readonly NodeFunction _reader;
    private readonly List<Key> _keys = [];

    /// <summary>Creates the public-key reader; keys are added with <see cref="Add"/>.</summary>
    public SigningKeys(Construct scope, string id)
        : base(scope, id)
    {
        _reader = InlineNodeFunction.Create(this, "PublicKeyReader", LambdaSource.KmsPublicKey,
            "Reads the public half of the stack's KMS signing keys for the stack outputs (custom resource)", Duration.Seconds(30));
    }

    /// <summary>The custom resource function (its role may only read the public halves).</summary>
    public Amazon.CDK.AWS.Lambda.Function Reader => _reader.Function;

    /// <summary>
    /// Adds a signing key with its alias (e.g. <c>alias/shelf-update</c>), retained when the stack goes (every device's
    /// trusted key depends on it), and outputs its public key (base64 DER) as <paramref name="outputName"/>.
    /// </summary>
    public SigningKey Add(string id, string alias, string description, string outputName, string outputDescription)
    {
        var key = new Key(this, id, new KeyProps
        {
            Alias = alias,
            Description = description,
            KeySpec = KeySpec.ECC_NIST_P256,
            KeyUsage = KeyUsage.SIGN_VERIFY,
            RemovalPolicy = RemovalPolicy.RETAIN,
        });
        _keys.Add(key);
        _reader.Function.AddToRolePolicy(new PolicyStatement(new PolicyStatementProps
        {
            Actions = ["kms:GetPublicKey"],
            Resources = [key.KeyArn],
        }));
        var publicKey = new CustomResource(this, id + "PublicKey", new CustomResourceProps
        {
            ServiceToken = _reader.Function.FunctionArn,
            ResourceType = "Custom::KmsPublicKey",
            Properties = new Dictionary<string, object> { ["KeyId"] = key.KeyArn },
        });
        // The function's policy must exist before CloudFormation calls it.
        publicKey.Node.AddDependency(_reader.Function);
        var pem = publicKey.GetAttString("PublicKey");
        _ = new CfnOutput(Stack.Of(this), outputName, new CfnOutputProps { Value = pem, Description = outputDescription });
        return new SigningKey(key, alias, pem);
    }
}

/// <summary>A signing key, its alias and its public key (base64 DER, a deploy-time value).</summary>
public sealed record SigningKey(Key Key, string Alias, string PublicKey);
