using ShelfAgent.IotCore.Jobs;

namespace ShelfAgent.Tests.IotCore.Jobs;

/// <summary>The restart-recovery state machine: a job in progress is finished or failed after a restart, never left IN_PROGRESS.</summary>
public sealed class JobRecoveryTests
{
    private static readonly JobExecution Offered = new("job-7", JobStatus.InProgress, 3, 5, "{}");

    [Fact]
    public void A_new_execution_is_run_as_attempt_one()
    {
        var decision = JobRecovery.Decide(null, Offered, "config-update");

        Assert.Equal(JobAction.Run, decision.Action);
        Assert.Equal(new JobRecord("job-7", 3, "config-update", JobPhase.Running, 1, null), decision.Record);
    }

    [Fact]
    public void A_record_of_another_execution_does_not_count()
    {
        var old = new JobRecord("job-7", 2, "rotate-certificate", JobPhase.Running, 1, null);

        Assert.Equal(JobAction.Run, JobRecovery.Decide(old, Offered, "rotate-certificate").Action);
    }

    [Fact]
    public void A_finished_execution_whose_update_was_lost_is_reported_and_not_run_again()
    {
        var outcome = JobOutcome.Succeeded(new KeyValuePair<string, string>("applied", "Sampling:IntervalMs"));
        var saved = new JobRecord("job-7", 3, "config-update", JobPhase.Finished, 1, outcome);

        var decision = JobRecovery.Decide(saved, Offered, "config-update");

        Assert.Equal((JobAction.Report, outcome), (decision.Action, decision.Outcome));
    }

    [Theory]
    [InlineData("config-update")]
    [InlineData("report-diagnostics")]
    public void An_interrupted_operation_that_is_safe_to_repeat_runs_again_once(string operation)
    {
        var saved = new JobRecord("job-7", 3, operation, JobPhase.Running, 1, null);

        var again = JobRecovery.Decide(saved, Offered, operation);
        var third = JobRecovery.Decide(again.Record, Offered, operation);

        Assert.Equal((JobAction.Run, 2), (again.Action, again.Record.Attempts));
        Assert.Equal(JobAction.Report, third.Action);
        Assert.Equal(JobStatus.Failed, third.Outcome!.Status);
        Assert.Contains("restarted during " + operation + " 2 times", third.Outcome.Details[0].Value, StringComparison.Ordinal);
        Assert.Equal(JobPhase.Finished, third.Record.Phase);
    }

    [Fact]
    public void An_interrupted_rotation_fails_saying_which_certificate_the_agent_kept()
    {
        var saved = new JobRecord("job-7", 3, "rotate-certificate", JobPhase.Running, 1, null);

        var decision = JobRecovery.Decide(saved, Offered, "rotate-certificate");

        Assert.Equal(JobAction.Report, decision.Action);
        Assert.Equal(JobStatus.Failed, decision.Outcome!.Status);
        Assert.Contains("old one unless the switch completed", decision.Outcome.Details[0].Value, StringComparison.Ordinal);
    }

    [Fact]
    public void A_rotation_interrupted_before_the_switch_is_run_again_once()
    {
        var first = JobRecovery.Decide(null, Offered, "rotate-certificate", "/etc/shelf-agent/certs/device.crt");
        Assert.Equal("/etc/shelf-agent/certs/device.crt", first.Record.Identity);

        var again = JobRecovery.Decide(first.Record, Offered, "rotate-certificate", "/etc/shelf-agent/certs/device.crt");
        var third = JobRecovery.Decide(again.Record, Offered, "rotate-certificate", "/etc/shelf-agent/certs/device.crt");

        Assert.Equal((JobAction.Run, 2), (again.Action, again.Record.Attempts));
        Assert.Equal(JobStatus.Failed, third.Outcome!.Status);
    }

    [Fact]
    public void A_rotation_interrupted_after_the_switch_succeeds_with_the_certificate_in_use()
    {
        var saved = new JobRecord("job-7", 3, "rotate-certificate", JobPhase.Running, 1, null, "/etc/shelf-agent/certs/device.crt");

        var decision = JobRecovery.Decide(saved, Offered, "rotate-certificate", "/etc/shelf-agent/certs/device-3f2a9c1d0b7e.crt");

        Assert.Equal(JobAction.Report, decision.Action);
        Assert.Equal(JobStatus.Succeeded, decision.Outcome!.Status);
        Assert.Contains(new KeyValuePair<string, string>("certificate", "device-3f2a9c1d0b7e.crt"), decision.Outcome.Details);
    }

    [Fact]
    public void An_interrupted_job_with_an_unreadable_document_fails()
    {
        var saved = new JobRecord("job-7", 3, null, JobPhase.Running, 1, null);

        Assert.Equal(JobStatus.Failed, JobRecovery.Decide(saved, Offered, null).Outcome!.Status);
    }

    [Fact]
    public void Every_path_ends_in_a_terminal_status()
    {
        // From any record a restart can leave, at most MaxAttempts runs happen before a terminal report.
        foreach (var operation in new string?[] { "config-update", "report-diagnostics", "rotate-certificate", null })
        {
            JobRecord? saved = null;
            var runs = 0;
            for (var restart = 0; restart < 10; restart++)
            {
                var decision = JobRecovery.Decide(saved, Offered, operation);
                if (decision.Action == JobAction.Report)
                {
                    Assert.True(JobStatusWire.IsTerminal(decision.Outcome!.Status));
                    break;
                }

                runs++;
                saved = decision.Record; // killed while running: the record stays Running
            }

            Assert.InRange(runs, 1, JobRecovery.MaxAttempts);
        }
    }

    [Theory]
    [InlineData("ResourceNotFound", JobUpdateRejection.Forget)]
    [InlineData("InvalidStateTransition", JobUpdateRejection.Forget)]
    [InlineData("TerminalStateReached", JobUpdateRejection.Forget)]
    [InlineData("InvalidRequest", JobUpdateRejection.SendBare)]
    [InlineData("InvalidJson", JobUpdateRejection.SendBare)]
    [InlineData("RequestThrottled", JobUpdateRejection.RetryLater)]
    [InlineData("InternalError", JobUpdateRejection.RetryLater)]
    [InlineData(null, JobUpdateRejection.RetryLater)]
    public void A_rejected_final_update_is_forgotten_only_when_the_execution_is_gone(string? code, JobUpdateRejection expected)
    {
        Assert.Equal(expected, JobRecovery.AfterRejectedUpdate(code));
    }
}
