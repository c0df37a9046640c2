#!/usr/bin/env python3
"""Drives a running LocalBugzilla with python-bugzilla, a widely used real Bugzilla client, to
check that the local server's answers parse the way bugzilla.mozilla.org's do.

Run by Tests/RemoteTests (BugzillaClientTests.pythonBugzillaAcceptsTheServer) when
python-bugzilla is installed (`pip install python-bugzilla`); it is skipped otherwise. Arguments
come from the environment: LOCAL_BUGZILLA_URL (the REST root, ending in /rest), LOCAL_BUGZILLA_KEY
(an API key of the local server's users). Exits non-zero with a message on the first mismatch.
"""
import os
import sys
import tempfile

import bugzilla
from bugzilla.exceptions import BugzillaError


def check(condition, message):
    if not condition:
        sys.exit(f"mismatch: {message}")


def main():
    url = os.environ["LOCAL_BUGZILLA_URL"]
    bz = bugzilla.Bugzilla(url, api_key=os.environ["LOCAL_BUGZILLA_KEY"], force_rest=True)
    check(bz.is_rest(), "REST backend")

    created = bz.createbug({
        "product": "Testing", "component": "web-platform-tests", "version": "unspecified", "type": "task",
        "summary": "[wpt-sync] Sync PR 1 - From python-bugzilla", "description": "Sync of upstream PR 1",
        "url": "https://github.com/web-platform-tests/wpt/pull/1", "whiteboard": "[wptsync downstream]"})
    bug = bz.getbug(created.id)
    check(bug.summary == "[wpt-sync] Sync PR 1 - From python-bugzilla", "summary")
    check((bug.product, bug.component) == ("Testing", "web-platform-tests"), "product and component")
    check(bug.status == "NEW" and bug.whiteboard == "[wptsync downstream]", "status and whiteboard")

    result = bz.update_bugs([bug.id], bz.build_update(product="Core", component="Layout: Grid", keywords_add=["regression"]))
    changes = result["bugs"][0]["changes"]
    check(changes["component"] == {"added": "Layout: Grid", "removed": "web-platform-tests"}, f"changes {changes}")
    check(changes["keywords"]["added"] == "regression", "keywords change")

    bug.addcomment("Try push: https://treeherder.example/jobs?revision=abc")
    bz.update_bugs([bug.id], bz.build_update(flags=[{"name": "needinfo", "status": "?", "requestee": "dev@example.com"}]))
    bz.update_bugs([bug.id], bz.build_update(status="RESOLVED", resolution="INVALID"))
    bug.refresh()
    check((bug.status, bug.resolution) == ("RESOLVED", "INVALID"), "resolved invalid")
    check(bug.component == "Layout: Grid" and bug.keywords == ["regression"], "fields after update")
    check([(f["name"], f["status"], f.get("requestee")) for f in bug.flags] == [("needinfo", "?", "dev@example.com")], "flags")

    texts = [comment["text"] for comment in bug.getcomments()]
    check(texts == ["Sync of upstream PR 1", "Try push: https://treeherder.example/jobs?revision=abc"], f"comments {texts}")

    history = bug.get_history_raw()["bugs"][0]["history"]
    fields = [change["field_name"] for entry in history for change in entry["changes"]]
    check(fields == ["product", "component", "keywords", "flagtypes.name", "status", "resolution"], f"history {fields}")

    with tempfile.NamedTemporaryFile("wb", suffix=".txt") as file:
        file.write(b"results\n")
        file.flush()
        ids = bz.attachfile(bug.id, file.name, "wptreport summary", file_name="results.txt", content_type="text/plain")
    check(ids == 1, f"attachment id {ids}")

    found = bz.query({"url": "https://github.com/web-platform-tests/wpt/pull/1"})
    check([b.id for b in found] == [bug.id] and found[0].component == "Layout: Grid", "search by URL")

    try:
        bz.getbug(999)
        sys.exit("mismatch: a missing bug was found")
    except BugzillaError as error:
        check(error.code == 101, f"missing bug code {error.code}")
    try:
        bz.createbug(bz.build_createbug(product="Testing", component="Nope", version="unspecified", summary="x"))
        sys.exit("mismatch: an unknown component was accepted")
    except BugzillaError as error:
        check(error.code == 51, f"unknown component code {error.code}")
    try:
        bugzilla.Bugzilla(url, api_key="not-a-key", force_rest=True)
        sys.exit("mismatch: an invalid API key was accepted")
    except BugzillaError as error:
        check(error.code == 306, f"invalid key code {error.code}")
    print("ok")


if __name__ == "__main__":
    main()
