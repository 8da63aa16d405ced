"""Checks for the compute lab."""
from labs.checks import check, expect

CLUSTER = "aml-cluster"


@check("aml-cluster is a dedicated Standard_DS11_v2 cluster", points=2,
       hint="AmlCompute(name='aml-cluster', size='Standard_DS11_v2', min_instances=0, max_instances=2, "
            "idle_time_before_scale_down=120), created with ml_client.compute.begin_create_or_update(...).result()")
def cluster_created(ctx):
    cluster = ctx.cluster(CLUSTER)
    expect(cluster.is_cluster, f"{CLUSTER!r} is a {cluster.kind}, not a cluster; create it with AmlCompute(...).")
    expect(cluster.size.lower() == "standard_ds11_v2",
           f"aml-cluster uses VM size {cluster.size}; it should be Standard_DS11_v2 (a size cannot be changed: "
           "delete the cluster and create it again).")
    expect(cluster.tier.lower() == "dedicated",
           f"aml-cluster has priority {cluster.tier}; use dedicated nodes (tier='Dedicated', the default).")


@check("aml-cluster scales down to 0 nodes after 120 s idle", points=1,
       hint="min_instances=0, idle_time_before_scale_down=120")
def scale_settings(ctx):
    cluster = ctx.cluster(CLUSTER)
    expect(cluster.min_nodes == 0,
           f"aml-cluster keeps at least {cluster.min_nodes} node(s) running; set min_instances=0 so idle nodes cost nothing.")
    expect(cluster.idle_seconds == 120,
           f"aml-cluster waits {cluster.idle_seconds} s before scaling down; set idle_time_before_scale_down=120.")


@check("A training job ran on aml-cluster and completed", points=3,
       hint="command(..., compute='aml-cluster'), submitted with ml_client.jobs.create_or_update and followed with ml_client.jobs.stream")
def job_on_cluster(ctx):
    jobs = [j for j in ctx.jobs(kind="command") if (j.compute or "").lower() == CLUSTER]
    others = sorted({j.compute or "serverless" for j in ctx.jobs(kind="command")})
    expect(jobs, f"No command job ran on aml-cluster (your jobs used: {', '.join(others) or 'nothing yet'}). "
                 "Pass compute='aml-cluster' to command(...).")
    done = [j for j in jobs if j.status == "Completed"]
    reason = f" ({jobs[0].error.get('message')})" if jobs and jobs[0].error else ""
    expect(done, f"Your job on aml-cluster ended {jobs[0].status}{reason}; fix it so that it completes.")


@check("aml-cluster was scaled to at most 3 nodes", points=2,
       hint="Change max_instances to 3 on the cluster (ml_client.compute.get('aml-cluster')) and send it to "
            "ml_client.compute.begin_create_or_update(...) again.")
def scaled_to_three(ctx):
    ctx.cluster_max_nodes(CLUSTER, 3)


@check("The cluster is defined with the v2 AmlCompute entity", points=1,
       hint="from azure.ai.ml.entities import AmlCompute; AmlCompute(name='aml-cluster', ...)")
def uses_amlcompute(ctx):
    calls = [c for c in ctx.calls("AmlCompute") if ctx.keyword(c, "name") == CLUSTER]
    expect(calls, "lab.py does not call AmlCompute(name='aml-cluster', ...); define the cluster with the v2 "
                  "AmlCompute entity (not the v1 ComputeTarget / provisioning_configuration).")
