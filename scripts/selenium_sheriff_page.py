#!/usr/bin/env python3
"""The sheriff page of `wptsync serve` in a real browser: headless Chromium (Debian's chromium and
chromium-driver) driven by Selenium. Run by Tests/EndToEndTests/SheriffPageBrowserTests.swift,
which builds the autoland world, queues two requests and starts `wptsync serve`.

Environment: PAGE (http://127.0.0.1:PORT/autoland), SHERIFF, SHERIFF_TOKEN, OTHER, OTHER_TOKEN,
LAND_ID, REJECT_ID, REASON, and optionally SCREENSHOTS (a folder for the queue's screenshots).
Prints one line per step; any failed check raises (exit status 1)."""

import http.client
import os
import shutil
import sys
import urllib.parse

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

PAGE = os.environ["PAGE"]
URL = urllib.parse.urlsplit(PAGE)
LAND, REJECT = os.environ["LAND_ID"], os.environ["REJECT_ID"]
SHERIFF, OTHER, REASON = os.environ["SHERIFF"], os.environ["OTHER"], os.environ["REASON"]
SCREENSHOTS = os.environ.get("SCREENSHOTS")


def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1100,1000"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
    driver.implicitly_wait(0)
    return driver


def step(text):
    print("ok:", text, flush=True)


def replaced(element):
    """Whether `element` left the document. Chromium sometimes says so with "Node with given id does
    not belong to the document" instead of a stale-element error."""
    try:
        element.is_enabled()
        return False
    except StaleElementReferenceException:
        return True
    except WebDriverException as error:
        if "does not belong to the document" in str(error):
            return True
        raise


def submit(driver, button):
    """Clicks a form's button and waits until the page it leads to has replaced this one."""
    old = driver.find_element(By.TAG_NAME, "html")
    button.click()
    WebDriverWait(driver, 300).until(lambda _: replaced(old))
    WebDriverWait(driver, 60).until(lambda d: d.execute_script("return document.readyState") == "complete")


def sign_in(driver, token):
    driver.get(PAGE)
    driver.find_element(By.ID, "token").send_keys(token)
    submit(driver, driver.find_element(By.ID, "sign-in"))


def session_of(driver):
    """The session cookie (checked to be HttpOnly and SameSite=Strict) and the page's CSRF token."""
    cookie = driver.get_cookie("wptsync_session")
    assert cookie, driver.get_cookies()
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and cookie["path"] == "/autoland", cookie
    csrf = driver.find_element(By.CSS_SELECTOR, "input[name=csrf]").get_attribute("value")
    return "wptsync_session=" + cookie["value"], csrf


def post(path, fields, cookie=None):
    """A POST made outside the browser (as a forger would); the status, redirects not followed."""
    connection = http.client.HTTPConnection(URL.hostname, URL.port, timeout=120)
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if cookie:
        headers["Cookie"] = cookie
    connection.request("POST", URL.path + path, body=urllib.parse.urlencode(fields), headers=headers)
    response = connection.getresponse()
    body = response.read().decode()
    return response.status, body


def queued(driver):
    driver.get(PAGE)
    return sorted(element.get_attribute("id") for element in driver.find_elements(By.CSS_SELECTOR, "section.request"))


def main():
    both = sorted(["request-" + LAND, "request-" + REJECT])
    anonymous, other, sheriff = browser(), browser(), browser()
    try:
        assert queued(anonymous) == both, queued(anonymous)
        assert not anonymous.find_elements(By.CSS_SELECTOR, "button.land, button.reject, input[name=csrf]")
        jobs = anonymous.find_elements(By.CSS_SELECTOR, f"#request-{LAND} a.job")
        assert jobs and "/jobs?repo=try&revision=" in jobs[0].get_attribute("href"), [j.get_attribute("href") for j in jobs]
        assert anonymous.find_elements(By.CSS_SELECTOR, f"#request-{LAND} a[href*='show_bug.cgi?id=']")
        step("anyone sees the queue read-only: both requests, their failed jobs linked to Treeherder, their bugs, no buttons")

        sign_in(other, os.environ["OTHER_TOKEN"])
        assert OTHER in other.find_element(By.ID, "signed-in").text
        assert queued(other) == both
        assert not other.find_elements(By.CSS_SELECTOR, "button.land, button.reject")
        assert "not a member" in other.find_element(By.ID, "read-only").text, other.find_element(By.ID, "read-only").text
        other_cookie, other_csrf = session_of(other)
        step(f"{OTHER}, signed in but not a sheriff, sees no Land or Reject button")

        sign_in(sheriff, os.environ["SHERIFF_TOKEN"])
        assert "(sheriff)" in sheriff.find_element(By.ID, "signed-in").text
        assert len(sheriff.find_elements(By.CSS_SELECTOR, "button.land")) == 2
        assert len(sheriff.find_elements(By.CSS_SELECTOR, "button.reject")) == 2
        sheriff_cookie, sheriff_csrf = session_of(sheriff)
        assert sheriff_csrf != other_csrf
        if SCREENSHOTS:
            sheriff.save_screenshot(os.path.join(SCREENSHOTS, "sheriff-queue.png"))
        step(f"{SHERIFF} signs in with the token and sees Land and Reject on both requests")

        forged = [
            ("land, the sheriff's session without a CSRF token", f"/{LAND}/land", {}, sheriff_cookie),
            ("land, the sheriff's session with another user's CSRF token", f"/{LAND}/land", {"csrf": other_csrf}, sheriff_cookie),
            ("reject, no session with the sheriff's CSRF token", f"/{REJECT}/reject", {"csrf": sheriff_csrf, "reason": "x"}, None),
            ("reject, another user's session with the sheriff's CSRF token", f"/{REJECT}/reject", {"csrf": sheriff_csrf, "reason": "x"}, other_cookie),
            ("land, a non-sheriff's own session and CSRF token", f"/{LAND}/land", {"csrf": other_csrf}, other_cookie),
            ("sign-in without the form's token", "/login", {"token": os.environ["SHERIFF_TOKEN"]}, None),
        ]
        for what, path, fields, cookie in forged:
            status, body = post(path, fields, cookie)
            assert status == 403, (what, status, body)
            step(f"forged POST refused with 403: {what}")
        status, body = post(f"/{REJECT}/reject", {"csrf": sheriff_csrf, "reason": "  "}, sheriff_cookie)
        assert status == 400 and "a rejection needs a reason" in body, (status, body)
        step("a rejection without a reason is refused with 400")
        assert queued(sheriff) == both
        step("after the refused POSTs both requests still wait")

        submit(sheriff, sheriff.find_element(By.CSS_SELECTOR, f"#request-{LAND} button.land"))
        notice = sheriff.find_element(By.ID, "notice").text
        assert notice.startswith(f"Request {LAND} is now landed (landed as "), notice
        step(f"Land: {notice}")

        sheriff.find_element(By.CSS_SELECTOR, f"#request-{REJECT} input[name=reason]").send_keys(REASON)
        submit(sheriff, sheriff.find_element(By.CSS_SELECTOR, f"#request-{REJECT} button.reject"))
        notice = sheriff.find_element(By.ID, "notice").text
        assert notice == f"Request {REJECT} is now rejected: rejected by {SHERIFF}: {REASON}", notice
        step(f"Reject: {notice}")
        if SCREENSHOTS:
            sheriff.save_screenshot(os.path.join(SCREENSHOTS, "sheriff-queue-decided.png"))

        assert queued(sheriff) == [] and sheriff.find_elements(By.ID, "empty")
        rows = [row.find_elements(By.TAG_NAME, "td") for row in sheriff.find_elements(By.CSS_SELECTOR, "#audit tbody tr")]
        decisions = [(r[1].text, r[2].text, r[3].text) for r in rows]
        assert (LAND, SHERIFF, "landing") in decisions and (LAND, "autoland", "landed") in decisions, decisions
        assert [r[4].text for r in rows if (r[1].text, r[3].text) == (REJECT, "rejected")] == [f"rejected by {SHERIFF}: {REASON}"]
        step("the queue is empty and the audit log names the sheriff, the decisions and the reason")

        submit(sheriff, sheriff.find_element(By.ID, "sign-out"))
        assert sheriff.find_elements(By.ID, "sign-in")
        status, _ = post(f"/{LAND}/land", {"csrf": sheriff_csrf}, sheriff_cookie)
        assert status == 403, status
        step("after signing out, the old session cookie is refused")
    finally:
        for driver in (anonymous, other, sheriff):
            driver.quit()


if __name__ == "__main__":
    main()
    sys.exit(0)
