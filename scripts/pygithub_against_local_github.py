#!/usr/bin/env python3
"""Drives a running LocalGitHub with PyGithub, a widely used real GitHub client, to check that
the local server's answers parse the way GitHub's do.

Run by Tests/GitHubTests (LocalServerTests.pyGithubAcceptsTheServer) when PyGithub is
installed (`pip install PyGithub`); it is skipped otherwise. Arguments come from the environment:
LOCAL_GITHUB_URL, LOCAL_GITHUB_TOKEN, LOCAL_GITHUB_APPROVER_TOKEN, LOCAL_GITHUB_BRANCH (a pushed
branch with commits beyond master). Exits non-zero with a message on the first mismatch.
"""
import os
import sys

from github import Auth, Github, GithubException


def check(condition, message):
    if not condition:
        sys.exit(f"mismatch: {message}")


def main():
    url = os.environ["LOCAL_GITHUB_URL"]
    branch = os.environ["LOCAL_GITHUB_BRANCH"]
    bot = Github(base_url=url, auth=Auth.Token(os.environ["LOCAL_GITHUB_TOKEN"]), retry=None)
    approver = Github(base_url=url, auth=Auth.Token(os.environ["LOCAL_GITHUB_APPROVER_TOKEN"]), retry=None)

    repo = bot.get_repo("web-platform-tests/wpt")
    check(repo.default_branch == "master", "default_branch")

    pr = repo.create_pull(base="master", head=branch, title="[Gecko Bug 1] From PyGithub", body="gecko-commit: 1")
    check(pr.number == 1 and pr.state == "open" and pr.head.ref == branch, "created pull request")
    check(pr.mergeable is True and pr.merged is False, "mergeable/merged")
    try:
        repo.create_pull(base="master", head=branch, title="again")
        sys.exit("mismatch: a duplicate pull request was accepted")
    except GithubException as error:
        check(error.status == 422, "duplicate answers 422")
        check("A pull request already exists" in str(error.data), "duplicate message")

    found = list(repo.get_pulls(state="all", head=f"web-platform-tests:{branch}"))
    check([p.number for p in found] == [pr.number], "head filter")

    pr.add_to_labels("mozilla:gecko-sync")
    check([label.name for label in repo.get_pull(pr.number).labels] == ["mozilla:gecko-sync"], "labels")

    pr.edit(state="closed")
    check(repo.get_pull(pr.number).state == "closed", "closed")
    pr.edit(state="open")
    check(repo.get_pull(pr.number).state == "open", "reopened")

    review = approver.get_repo("web-platform-tests/wpt").get_pull(pr.number).create_review(event="APPROVE")
    check(review.state == "APPROVED" and review.user.login == "wpt-approver", "review")

    result = pr.merge(merge_method="rebase", sha=pr.head.sha)
    check(result.merged is True and len(result.sha) == 40, "merge result")
    merged = repo.get_pull(pr.number)
    check(merged.merged is True and merged.merge_commit_sha == result.sha, "merged pull request")

    try:
        repo.get_pull(999)
        sys.exit("mismatch: a missing pull request was found")
    except GithubException as error:
        check(error.status == 404 and error.data.get("message") == "Not Found", "404 body")
    print("ok")


if __name__ == "__main__":
    main()
