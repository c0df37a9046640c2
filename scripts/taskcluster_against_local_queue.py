#!/usr/bin/env python3
"""Drives a running LocalTaskcluster with the `taskcluster` Python client (Mozilla's own, from
PyPI) to check that the local queue and index answer the way Taskcluster's do.

Run by Tests/RemoteTests (TaskclusterPythonTests) when the client is installed
(`pip install taskcluster`); skipped otherwise. Arguments come from the environment:
LOCAL_TC_ROOT_URL, LOCAL_TC_REVISION (a scheduled try push), LOCAL_TC_TASKS (how many tasks its
group has), LOCAL_TC_DONE_TASK (a resolved wpt task). Exits non-zero with a message on the first
mismatch.
"""
import os
import sys

import requests
import taskcluster
from taskcluster.exceptions import TaskclusterRestFailure


def check(condition, message):
    if not condition:
        sys.exit(f"mismatch: {message}")


def main():
    options = {"rootUrl": os.environ["LOCAL_TC_ROOT_URL"], "maxRetries": 2}
    revision = os.environ["LOCAL_TC_REVISION"]
    expected = int(os.environ["LOCAL_TC_TASKS"])
    done = os.environ["LOCAL_TC_DONE_TASK"]
    index = taskcluster.Index(options)
    queue = taskcluster.Queue(options)

    found = index.findTask(f"gecko.v2.try.revision.{revision}.firefox.decision")
    group = found["taskId"]
    check(found["namespace"].endswith(".firefox.decision"), f"namespace {found}")
    try:
        index.findTask("gecko.v2.try.revision.0000.firefox.decision")
        sys.exit("mismatch: an unknown index path was found")
    except TaskclusterRestFailure as error:
        check(error.status_code == 404, f"unknown index path: {error.status_code}")

    # Paging by hand with a limit, and with the client's own pagination handler.
    seen, token, pages = [], None, 0
    while True:
        query = {"limit": 2}
        if token:
            query["continuationToken"] = token
        page = queue.listTaskGroup(group, query=query)
        check(page["taskGroupId"] == group, "taskGroupId")
        seen += [entry["status"]["taskId"] for entry in page["tasks"]]
        pages += 1
        token = page.get("continuationToken")
        if not token:
            break
    check(len(seen) == expected and len(set(seen)) == expected, f"{len(seen)} tasks listed, expected {expected}")
    check(pages == (expected + 1) // 2, f"{pages} pages of 2")
    handled = []
    queue.listTaskGroup(group, paginationHandler=lambda page: handled.extend(page["tasks"]))
    check(len(handled) == expected, "paginationHandler")
    wpt = [e for e in handled if e["task"].get("extra", {}).get("suite", "").startswith("web-platform-tests")]
    check(wpt and all(e["status"]["state"] in ("pending", "completed") for e in wpt), "wpt task states")

    definition = queue.task(done)
    check(definition["taskGroupId"] == group and definition["metadata"]["name"], "task definition")
    status = queue.status(done)["status"]
    check(status["state"] == "completed" and status["runs"][-1]["runId"] == len(status["runs"]) - 1, f"status {status}")
    names = [a["name"] for a in queue.listLatestArtifacts(done)["artifacts"]]
    check("public/test_info/wptreport.json" in names, f"artifacts {names}")
    names = [a["name"] for a in queue.listArtifacts(done, status["runs"][-1]["runId"])["artifacts"]]
    check("public/test_info/wptreport.json" in names, f"run artifacts {names}")
    # The client does not follow the 303: it returns its body, which names the blob's URL.
    redirect = queue.getLatestArtifact(done, "public/test_info/wptreport.json")
    check(redirect.get("storageType") == "s3" and redirect.get("url"), f"artifact redirect {redirect}")
    report = requests.get(redirect["url"], timeout=10).json()
    check("run_info" in report and report["results"], f"report {str(report)[:200]}")
    print(f"ok: {len(seen)} tasks in {pages} pages, report with {len(report['results'])} results")


if __name__ == "__main__":
    main()
