using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Sagemaker;
using Constructs;
using ShelfAgent.Cloud.Lake;

namespace ShelfAgent.Cloud.Analytics;

/// <summary>
/// Optional (-c sagemaker=true -c trainingImage=…): what a data team needs to train a richer demand model on
/// the weekly training dataset (StarterQueries.TrainingDatasetSql): an execution role that reads only the
/// training folder and writes only the model-artifacts bucket, and a SageMaker pipeline with one training step
/// (the training-job definition) that they start with `aws sagemaker start-pipeline-execution`. A pipeline
/// costs nothing until it runs; a run bills the training instance (ml.m5.large by default) for its minutes.
/// </summary>
public sealed class SageMakerTraining : Construct
{
    /// <summary>Creates the role and the pipeline.</summary>
    public SageMakerTraining(Construct scope, string id, StageNaming naming, DataLake lake, string trainingImage)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(naming);
        ArgumentNullException.ThrowIfNull(lake);
        Role = new Role(this, "Role", new RoleProps
        {
            AssumedBy = new ServicePrincipal("sagemaker.amazonaws.com", new ServicePrincipalOpts
            {
                Conditions = new Dictionary<string, object> { ["StringEquals"] = new Dictionary<string, object> { ["aws:SourceAccount"] = Aws.ACCOUNT_ID } },
            }),
            Description = "SageMaker training: read the training dataset, write model artifacts",
        });
        Role.AddToPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Actions = ["s3:GetObject"],
            Resources = [lake.Buckets.Curated.ArnForObjects(LakeBuckets.TrainingPrefix + "*")],
        }));
        Role.AddToPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Actions = ["s3:ListBucket"],
            Resources = [lake.Buckets.Curated.BucketArn],
            Conditions = new Dictionary<string, object>
            {
                ["StringLike"] = new Dictionary<string, object> { ["s3:prefix"] = LakeBuckets.TrainingPrefix + "*" },
            },
        }));
        Role.AddToPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Actions = ["s3:PutObject", "s3:GetObject", "s3:ListBucket", "s3:AbortMultipartUpload"],
            Resources = [lake.Buckets.ModelArtifacts.BucketArn, lake.Buckets.ModelArtifacts.ArnForObjects("demand/*")],
        }));
        Role.AddToPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Actions = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
            Resources = [$"arn:{Aws.PARTITION}:logs:{Aws.REGION}:{Aws.ACCOUNT_ID}:log-group:/aws/sagemaker/TrainingJobs*"],
        }));
        Role.AddToPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Actions = ["ecr:GetAuthorizationToken", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "cloudwatch:PutMetricData"],
            Resources = ["*"],
        }));

        var definition = new Dictionary<string, object>
        {
            ["Version"] = "2020-12-01",
            ["Parameters"] = new object[]
            {
                Parameter("TrainingData", $"s3://{lake.Buckets.Curated.BucketName}/{LakeBuckets.TrainingPrefix}"),
                Parameter("TrainingImage", trainingImage),
                Parameter("InstanceType", "ml.m5.large"),
            },
            ["Steps"] = new object[]
            {
                new Dictionary<string, object>
                {
                    ["Name"] = "TrainDemandModel",
                    ["Type"] = "Training",
                    ["Arguments"] = new Dictionary<string, object>
                    {
                        ["AlgorithmSpecification"] = new Dictionary<string, object>
                        {
                            ["TrainingImage"] = Get("TrainingImage"), ["TrainingInputMode"] = "File",
                        },
                        ["RoleArn"] = Role.RoleArn,
                        ["InputDataConfig"] = new object[]
                        {
                            new Dictionary<string, object>
                            {
                                ["ChannelName"] = "train",
                                ["ContentType"] = "application/x-parquet",
                                ["DataSource"] = new Dictionary<string, object>
                                {
                                    ["S3DataSource"] = new Dictionary<string, object>
                                    {
                                        ["S3DataType"] = "S3Prefix", ["S3Uri"] = Get("TrainingData"), ["S3DataDistributionType"] = "FullyReplicated",
                                    },
                                },
                            },
                        },
                        ["OutputDataConfig"] = new Dictionary<string, object> { ["S3OutputPath"] = $"s3://{lake.Buckets.ModelArtifacts.BucketName}/demand/" },
                        ["ResourceConfig"] = new Dictionary<string, object>
                        {
                            ["InstanceCount"] = 1, ["InstanceType"] = Get("InstanceType"), ["VolumeSizeInGB"] = 30,
                        },
                        ["StoppingCondition"] = new Dictionary<string, object> { ["MaxRuntimeInSeconds"] = 3600 },
                        // Picks are counts: a Poisson objective (XGBoost's count:poisson) fits them.
                        ["HyperParameters"] = new Dictionary<string, object> { ["objective"] = "count:poisson", ["num_round"] = "200" },
                    },
                },
            },
        };
        Pipeline = new CfnPipeline(this, "Pipeline", new CfnPipelineProps
        {
            PipelineName = $"shelfagent-{naming.Stage}-demand-training",
            PipelineDescription = "Trains a demand model on the hourly-picks dataset (start it with start-pipeline-execution)",
            RoleArn = Role.RoleArn,
            PipelineDefinition = new Dictionary<string, object> { ["PipelineDefinitionBody"] = Stack.Of(this).ToJsonString(definition) },
        });
        Pipeline.Node.AddDependency(Role);
    }

    /// <summary>The execution role.</summary>
    public Role Role { get; }

    /// <summary>The training pipeline.</summary>
    public CfnPipeline Pipeline { get; }

    private static Dictionary<string, object> Parameter(string name, string value) =>
        new() { ["Name"] = name, ["Type"] = "String", ["DefaultValue"] = value };

    private static Dictionary<string, object> Get(string parameter) => new() { ["Get"] = $"Parameters.{parameter}" };
}
