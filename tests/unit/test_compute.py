"""The compute engine: VM sizes, names, clusters and instances, node allocation across processes, autoscale."""
import subprocess
import sys
import textwrap

import pytest

from sandbox import clock, compute, vm_sizes
from sandbox.errors import AlreadyExists, InvalidInput, NotFound


@pytest.fixture
def frozen(ws):
    clock.set_virtual(ws, True)
    return ws


def cluster(ws, name="cpu-cluster", max_nodes=2, min_nodes=0, idle=120, size="Standard_DS11_v2"):
    compute.create_cluster(ws, name, size, min_nodes, max_nodes, idle)
    return compute.wait_provisioned(ws, name)


# -- VM sizes -----------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["Standard_DS11_v2", "STANDARD_DS11_V2", "standard_ds11_v2"])
def test_size_names_are_case_insensitive(name):
    size = vm_sizes.lookup(name)
    assert (size.name, size.v_cpus, size.memory_gb, size.gpus) == ("Standard_DS11_v2", 2, 14, 0)


def test_the_catalogue_holds_real_gpu_sizes():
    assert vm_sizes.lookup("Standard_NC6s_v3").gpu_type == "V100"
    assert vm_sizes.lookup("Standard_NC24ads_A100_v4").gpus == 1
    assert vm_sizes.lookup("Standard_ND40rs_v2").gpus == 8
    required = ["Standard_DS1_v2", "Standard_DS2_v2", "Standard_DS3_v2", "Standard_DS4_v2", "Standard_DS12_v2",
                "Standard_D2_v3", "Standard_D4_v3", "Standard_D8_v3", "Standard_D2s_v3", "Standard_D4s_v3",
                "Standard_D2as_v4", "Standard_D4ds_v4", "Standard_E4ds_v4", "Standard_F4s_v2", "Standard_NC6",
                "Standard_NC4as_T4_v3"]
    assert all(vm_sizes.find(n) for n in required)


def test_an_unknown_size_is_refused_with_close_valid_ones(ws):
    with pytest.raises(InvalidInput, match="Standard_DS11_v2") as info:
        compute.create_cluster(ws, "cpu-cluster", "Standard_DS11", 0, 2)
    assert "not supported" in str(info.value) and "list_sizes" in str(info.value)
    assert not compute.exists(ws, "cpu-cluster")


# -- names ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["ab", "1cluster", "cpu_cluster", "cpu cluster", "a" * 25, "cluster-"])
def test_invalid_compute_names_are_refused(ws, name):
    with pytest.raises(InvalidInput, match="3-24 characters"):
        compute.create_cluster(ws, name, "Standard_DS11_v2", 0, 2)


def test_local_is_reserved(ws):
    with pytest.raises(InvalidInput, match="reserved"):
        compute.create_cluster(ws, "local", "Standard_DS11_v2", 0, 2)


def test_names_are_unique_across_clusters_and_instances(ws):
    cluster(ws, "shared-name")
    with pytest.raises(AlreadyExists, match="unique"):
        compute.create_instance(ws, "shared-name", "Standard_DS3_v2")


# -- clusters --------------------------------------------------------------------------------------
def test_a_new_cluster_is_creating_until_provisioned(frozen):
    rec = compute.create_cluster(frozen, "cpu-cluster", "Standard_DS11_v2", 0, 2, 1800)
    assert rec.provisioning_state == "Creating"
    assert compute.get(frozen, "cpu-cluster").provisioning_state == "Creating"
    done = compute.wait_provisioned(frozen, "cpu-cluster")
    assert (done.provisioning_state, done.allocation_state, done.current_node_count) == ("Succeeded", "Steady", 0)
    assert (done.size, done.max_nodes, done.idle_seconds, done.tier) == ("Standard_DS11_v2", 2, 1800, "dedicated")


def test_creating_an_existing_cluster_updates_its_scale_settings(ws):
    cluster(ws, max_nodes=2)
    rec = compute.create_cluster(ws, "cpu-cluster", "STANDARD_DS11_V2", 0, 4, 120)
    assert rec.max_nodes == 4
    with pytest.raises(InvalidInput, match="cannot be changed"):
        compute.create_cluster(ws, "cpu-cluster", "Standard_DS3_v2", 0, 4)


def test_scale_settings_are_checked(ws):
    with pytest.raises(InvalidInput, match="cannot be greater"):
        compute.create_cluster(ws, "cpu-cluster", "Standard_DS11_v2", 3, 2)
    with pytest.raises(InvalidInput, match="at least 1"):
        compute.create_cluster(ws, "cpu-cluster", "Standard_DS11_v2", 0, 0)
    cluster(ws)
    with pytest.raises(InvalidInput, match="cannot be greater"):
        compute.update(ws, "cpu-cluster", min_nodes=5)
    assert compute.update(ws, "cpu-cluster", max_nodes=6).max_nodes == 6


def test_missing_compute_says_how_to_create_it(ws):
    with pytest.raises(NotFound, match="Compute target 'gpu-cluster' was not found") as info:
        compute.try_acquire(ws, "gpu-cluster", "job-1")
    assert "begin_create_or_update" in str(info.value) and "ComputeTarget.create" in str(info.value)


def test_delete_removes_the_cluster(ws):
    cluster(ws)
    compute.delete(ws, "cpu-cluster")
    assert compute.list_computes(ws) == []
    with pytest.raises(NotFound):
        compute.get(ws, "cpu-cluster")


# -- allocation ------------------------------------------------------------------------------------
def test_local_and_serverless_never_queue(ws):
    allocations = [compute.try_acquire(ws, target, f"job-{i}") for i in range(5) for target in ("local", "serverless")]
    assert all(a is not None and a.node_id is None for a in allocations)
    for a in allocations:
        compute.release(ws, a)


def test_a_cluster_runs_at_most_max_nodes_jobs_and_queues_the_rest_in_order(ws):
    cluster(ws, max_nodes=2)
    a = compute.try_acquire(ws, "cpu-cluster", "job-a")
    b = compute.try_acquire(ws, "azureml:cpu-cluster", "job-b")
    assert a and b and a.node_id != b.node_id
    assert compute.try_acquire(ws, "cpu-cluster", "job-c") is None
    assert compute.try_acquire(ws, "cpu-cluster", "job-d") is None
    assert compute.queue_position(ws, "cpu-cluster", "job-c") == 1
    assert compute.queue_position(ws, "cpu-cluster", "job-d") == 2
    status = compute.get(ws, "cpu-cluster")
    assert (status.current_node_count, status.busy_node_count, status.queued_jobs) == (2, 2, ["job-c", "job-d"])
    compute.release(ws, a)
    # the free node goes to the first job in the queue, not to the one that asks first
    assert compute.try_acquire(ws, "cpu-cluster", "job-d") is None
    c = compute.try_acquire(ws, "cpu-cluster", "job-c")
    assert c is not None and c.node_id == a.node_id  # the idle node is reused
    assert compute.queue_position(ws, "cpu-cluster", "job-c") is None
    assert compute.try_acquire(ws, "cpu-cluster", "job-c") == c  # asking again returns the same node


def test_release_is_safe_to_repeat(ws):
    cluster(ws, max_nodes=1)
    a = compute.try_acquire(ws, "cpu-cluster", "job-a")
    compute.release(ws, a)
    compute.release(ws, a)
    assert compute.try_acquire(ws, "cpu-cluster", "job-b") is not None


WORKER = textwrap.dedent("""
    import sqlite3, sys, time
    from pathlib import Path
    from sandbox import compute
    from sandbox.workspace import Workspace

    root, probe, worker, jobs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    ws = Workspace.open(Path(root))
    db = sqlite3.connect(probe, timeout=60, isolation_level=None)
    for i in range(jobs):
        allocation = compute.acquire(ws, "cpu-cluster", f"job-{worker}-{i}", poll=0.01)
        db.execute("BEGIN IMMEDIATE")
        db.execute("UPDATE probe SET holders = holders + 1")
        db.execute("UPDATE probe SET most = MAX(most, holders), done = done + 1")
        db.execute("COMMIT")
        busy = compute.get(ws, "cpu-cluster").busy_node_count
        db.execute("UPDATE probe SET most_busy = MAX(most_busy, ?)", (busy,))
        time.sleep(0.02)
        db.execute("BEGIN IMMEDIATE")
        db.execute("UPDATE probe SET holders = holders - 1")
        db.execute("COMMIT")
        compute.release(ws, allocation)
""")


def test_never_more_than_max_nodes_jobs_hold_nodes_across_processes(ws, tmp_path):
    import sqlite3

    cluster(ws, max_nodes=2)
    probe = tmp_path / "probe.db"
    db = sqlite3.connect(probe)
    db.execute("CREATE TABLE probe (holders INTEGER, most INTEGER, most_busy INTEGER, done INTEGER)")
    db.execute("INSERT INTO probe VALUES (0, 0, 0, 0)")
    db.commit()
    workers = [subprocess.Popen([sys.executable, "-c", WORKER, str(ws.root), str(probe), str(w), "4"])
               for w in range(4)]
    assert [p.wait(timeout=120) for p in workers] == [0, 0, 0, 0]
    holders, most, most_busy, done = db.execute("SELECT * FROM probe").fetchone()
    assert done == 16 and holders == 0
    assert 1 <= most <= 2 and 1 <= most_busy <= 2
    final = compute.get(ws, "cpu-cluster")
    assert final.busy_node_count == 0 and final.queued_jobs == [] and final.current_node_count <= 2


def _run(code: str, ws) -> None:
    result = subprocess.run([sys.executable, "-c", textwrap.dedent(code), str(ws.root)], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr


def test_a_node_held_by_a_dead_process_is_released(ws):
    cluster(ws, max_nodes=1)
    _run("""
        import os, sys
        from pathlib import Path
        from sandbox import compute
        from sandbox.workspace import Workspace
        ws = Workspace.open(Path(sys.argv[1]))
        assert compute.try_acquire(ws, "cpu-cluster", "crashing-job") is not None
        os._exit(0)  # a supervisor that dies without releasing its node
    """, ws)
    allocation = compute.try_acquire(ws, "cpu-cluster", "next-job")
    assert allocation is not None
    assert compute.get(ws, "cpu-cluster").running_jobs == ["next-job"]


def test_a_queue_place_of_a_dead_process_is_dropped(ws):
    cluster(ws, max_nodes=1)
    first = compute.try_acquire(ws, "cpu-cluster", "first")
    _run("""
        import os, sys
        from pathlib import Path
        from sandbox import compute
        from sandbox.workspace import Workspace
        ws = Workspace.open(Path(sys.argv[1]))
        assert compute.try_acquire(ws, "cpu-cluster", "gone") is None  # queued, then the process dies
        os._exit(0)
    """, ws)
    assert compute.try_acquire(ws, "cpu-cluster", "waiting") is None
    assert compute.queue_position(ws, "cpu-cluster", "waiting") == 1
    compute.release(ws, first)
    assert compute.try_acquire(ws, "cpu-cluster", "waiting") is not None


# -- autoscale ---------------------------------------------------------------------------------------
def test_idle_nodes_stay_until_the_idle_time_passes_then_the_cluster_shrinks_to_min(frozen):
    ws = frozen
    cluster(ws, max_nodes=3, min_nodes=0, idle=120)
    a = compute.try_acquire(ws, "cpu-cluster", "a")
    b = compute.try_acquire(ws, "cpu-cluster", "b")
    grown = compute.get(ws, "cpu-cluster")
    assert (grown.current_node_count, grown.allocation_state) == (2, "Resizing")
    clock.advance(ws, compute.RESIZE_SECONDS + 1)
    assert compute.get(ws, "cpu-cluster").allocation_state == "Steady"
    compute.release(ws, a)
    compute.release(ws, b)
    idle = compute.get(ws, "cpu-cluster")
    assert (idle.current_node_count, idle.idle_node_count, idle.busy_node_count) == (2, 2, 0)
    clock.advance(ws, 119)
    assert compute.get(ws, "cpu-cluster").current_node_count == 2
    clock.advance(ws, 2)
    shrunk = compute.get(ws, "cpu-cluster")
    assert (shrunk.current_node_count, shrunk.allocation_state) == (0, "Resizing")
    clock.advance(ws, compute.RESIZE_SECONDS + 1)
    assert compute.get(ws, "cpu-cluster").allocation_state == "Steady"


def test_min_nodes_are_kept_warm(frozen):
    ws = frozen
    cluster(ws, max_nodes=3, min_nodes=1, idle=60)
    assert compute.get(ws, "cpu-cluster").current_node_count == 1
    allocations = [compute.try_acquire(ws, "cpu-cluster", f"job-{i}") for i in range(3)]
    assert compute.get(ws, "cpu-cluster").current_node_count == 3
    for a in allocations:
        compute.release(ws, a)
    clock.advance(ws, 3600)
    assert compute.get(ws, "cpu-cluster").current_node_count == 1


def test_a_reused_idle_node_does_not_grow_the_cluster(frozen):
    ws = frozen
    cluster(ws, max_nodes=4, idle=120)
    for i in range(5):
        compute.release(ws, compute.try_acquire(ws, "cpu-cluster", f"job-{i}"))
        clock.advance(ws, 60)
    assert compute.get(ws, "cpu-cluster").current_node_count == 1


# -- failed clusters and instances ---------------------------------------------------------------------
def test_jobs_are_refused_on_a_failed_cluster(ws):
    cluster(ws)
    compute.set_provisioning_failed(ws, "cpu-cluster", "QuotaExceeded", "Not enough quota for standardDSv2Family")
    with pytest.raises(InvalidInput, match="Failed .*quota"):
        compute.try_acquire(ws, "cpu-cluster", "job")


def test_instances_start_stop_and_refuse_jobs_while_stopped(ws):
    compute.create_instance(ws, "my-instance", "Standard_DS3_v2")
    assert compute.wait_provisioned(ws, "my-instance").state == "Running"
    assert compute.try_acquire(ws, "my-instance", "job-1") is not None
    assert compute.stop(ws, "my-instance").state == "Stopped"
    with pytest.raises(InvalidInput, match="is Stopped and cannot run jobs. Start it first"):
        compute.try_acquire(ws, "my-instance", "job-2")
    with pytest.raises(InvalidInput, match="start it instead"):
        compute.restart(ws, "my-instance")
    assert compute.start(ws, "my-instance").state == "Running"
    assert compute.restart(ws, "my-instance").state == "Running"
    assert compute.try_acquire(ws, "my-instance", "job-2") is not None


def test_clusters_do_not_start_or_stop(ws):
    cluster(ws)
    with pytest.raises(InvalidInput, match="Only compute instances start and stop"):
        compute.stop(ws, "cpu-cluster")


# -- the clock ---------------------------------------------------------------------------------------------
def test_the_clock_is_real_until_made_virtual(ws):
    before = clock.utcnow()
    assert clock.now(ws) >= before and not clock.is_virtual(ws)
    frozen_at = clock.set_virtual(ws, True)
    assert clock.now(ws) == frozen_at
    assert (clock.advance(ws, 90) - frozen_at).total_seconds() == 90
    reached = clock.now(ws)
    clock.set_virtual(ws, False)
    assert not clock.is_virtual(ws) and clock.now(ws) >= reached
    with pytest.raises(ValueError):
        clock.advance(ws, -1)
    clock.reset(ws)
    assert abs((clock.now(ws) - clock.utcnow()).total_seconds()) < 60
    assert clock.iso_now().endswith("Z")
