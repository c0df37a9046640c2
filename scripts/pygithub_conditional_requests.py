#!/usr/bin/env python3
"""Checks the local GitHub's conditional requests with PyGithub: a strong ETag on every GET, and
304 Not Modified without a body, costing nothing against the rate limit, to a matching
If-None-Match.

PyGithub sends If-None-Match itself only when refreshing one object (`update()`, from its
`etag`); its paginated lists are never conditional, so the listing wptsync's reconciliation reads
(`GET /repos/{o}/{r}/pulls?state=all&sort=updated&direction=desc`) is sent through PyGithub's own
requester (`Github.requester.requestJson`) with the header set by hand.

Run by Tests/GitHubTests (ConditionalListTests) when PyGithub is installed. Environment:
LOCAL_GITHUB_URL, LOCAL_GITHUB_TOKEN, LOCAL_GITHUB_BRANCH (a pushed branch with commits beyond
master). Exits non-zero with a message on the first mismatch.
"""
import os
import sys

from github import Auth, Github


def check(condition, message):
    if not condition:
        sys.exit(f"mismatch: {message}")


def main():
    bot = Github(base_url=os.environ["LOCAL_GITHUB_URL"], auth=Auth.Token(os.environ["LOCAL_GITHUB_TOKEN"]), retry=None)
    repo = bot.get_repo("web-platform-tests/wpt")
    pr = repo.create_pull(base="master", head=os.environ["LOCAL_GITHUB_BRANCH"], title="Grid gap")

    pr = repo.get_pull(pr.number)
    check(pr.etag is not None and pr.etag.startswith('"') and pr.etag.endswith('"'), f"a strong ETag: {pr.etag}")
    remaining = bot.rate_limiting[0]
    check(pr.update() is False, "an unchanged pull request answers 304")
    check(bot.rate_limiting[0] == remaining, f"a 304 costs nothing: {bot.rate_limiting[0]} after {remaining}")
    pr.edit(title="Grid gap, again")
    check(pr.update() is True and pr.title == "Grid gap, again", "a changed pull request answers 200 with it")

    path = "/repos/web-platform-tests/wpt/pulls"
    query = {"state": "all", "sort": "updated", "direction": "desc"}
    status, headers, body = bot.requester.requestJson("GET", path, parameters=query)
    etag = headers.get("etag")
    check(status == 200 and etag and etag.startswith('"'), f"listing: {status} {etag}")
    remaining = int(headers["x-ratelimit-remaining"])
    for form in (etag, "W/" + etag, '"other", ' + etag):
        status, headers, body = bot.requester.requestJson("GET", path, parameters=query, headers={"If-None-Match": form})
        check(status == 304 and body in ("", None), f"If-None-Match {form}: {status} {body!r}")
        check(headers.get("etag") == etag, "the 304 carries the ETag")
        check(int(headers["x-ratelimit-remaining"]) == remaining, "a 304 costs nothing")
    status, _, _ = bot.requester.requestJson("GET", path, parameters=query, headers={"If-None-Match": '"other"'})
    check(status == 200, "a stale ETag answers 200")
    print("ok")


if __name__ == "__main__":
    main()
