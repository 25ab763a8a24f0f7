namespace ShelfAgent.LocalIot.Control;

/// <summary>
/// What a second process may ask a running core to do: the cloud side's control plane (in AWS: the IoT, IoT Jobs and
/// IoT Data APIs — CreateThing, CreateJob, UpdateThingShadow, …), here over the core's control topics.
/// </summary>
public enum ControlOperation
{
    /// <summary>Creates or updates a thing with attributes; with a CSR, signs it and attaches the certificate (ACTIVE).</summary>
    RegisterThing,

    /// <summary>Signs an observer's CSR: a subscriber that may read every device topic and publish nothing.</summary>
    RegisterObserver,

    /// <summary>Queues a job execution for a thing (CreateJob with one target).</summary>
    CreateJob,

    /// <summary>Cancels a job execution that has not finished (CancelJobExecution).</summary>
    CancelJob,

    /// <summary>A job execution's status, statusDetails, version, history and document (DescribeJobExecution).</summary>
    DescribeJob,

    /// <summary>Every job execution of a thing (ListJobExecutionsForThing).</summary>
    ListJobs,

    /// <summary>A cloud-side update of a thing's classic shadow (UpdateThingShadow).</summary>
    UpdateShadow,

    /// <summary>A thing's classic shadow document (GetThingShadow).</summary>
    GetShadow,
}
