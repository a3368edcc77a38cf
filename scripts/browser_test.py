"""The console and the board in headless Chromium (run by scripts/browser-test).

argv: the service's base URL and the screenshot folder. The demo passwords come from
CHANJIAO_ADMIN_PASSWORD and CHANJIAO_DEMO_PASSWORD. Exits non-zero on the first failed check.
"""
import base64
import datetime
import json
import os
import re
import subprocess
import sys
import time
import urllib.request

# Selenium Manager would look for drivers and send statistics on the internet: neither here.
os.environ["SE_AVOID_STATS"] = "true"
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

BASE, SHOTS = sys.argv[1], sys.argv[2]
ADMIN, DEMO = os.environ["CHANJIAO_ADMIN_PASSWORD"], os.environ["CHANJIAO_DEMO_PASSWORD"]
TODAY = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=8)).date()
checks = 0


def check(condition, message):
    global checks
    checks += 1
    if not condition:
        raise SystemExit(f"browser test failed: {message}")


def api(method, path, body=None, token=None):
    request = urllib.request.Request(BASE + path, method=method, data=json.dumps(body).encode() if body is not None else None)
    request.add_header("content-type", "application/json")
    if token:
        request.add_header("authorization", "Bearer " + token)
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read() or b"null")


def login_api(username, password):
    return api("POST", "/v1/auth/login", {"username": username, "password": password})["token"]


def county_row(board, code):
    return next(row for row in board["items"] if row["region_code"] == code)


def percent(value):
    tenths = round(max(0, min(1, value)) * 1000)
    return f"{tenths // 10}.{tenths % 10}%"


# 灵宝矿山机械 (灵宝市) submits a provincial application through the API, as its portal would.
enterprise = login_api("ent-lbks", DEMO)
materials = {
    "summary": "与三门峡职业技术学院共建矿山机械订单班", "cooperation_years": 3, "cooperation_forms": ["order_class", "curriculum"],
    "investment_fen": 80000000, "trainees_per_year": 60, "contact": {"name": "阎永", "phone": "13500001913"},
    "credit_clean": True, "no_major_incidents": True,
}
application = api("POST", "/v1/applications", {"level": "provincial", "year": TODAY.year, "materials": materials}, enterprise)
api("POST", f"/v1/applications/{application['id']}/transitions", {"action": "submit"}, enterprise)
before = county_row(api("GET", "/v1/scoreboard"), "411282")

options = webdriver.ChromeOptions()
options.binary_location = "/usr/bin/chromium"
for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000", "--lang=zh-CN"]:
    options.add_argument(argument)
options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
driver = webdriver.Chrome(options=options, service=Service("/usr/bin/chromedriver"))
driver.set_page_load_timeout(30)
shot_number = 0


def problems_in_logs():
    """Console errors and failed requests since the last call."""
    found = [f"console: {entry['message']}" for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.responseReceived":
            response = message["params"]["response"]
            if response["status"] >= 400:
                found.append(f"request: {response['status']} {response['url']}")
        elif message["method"] == "Network.loadingFailed" and not message["params"].get("canceled"):
            found.append(f"request failed: {message['params'].get('errorText')}")
    return found


def page(path=None, name=None):
    """Opens `path` (or stays), checks the page, saves a screenshot named `name`."""
    global shot_number
    if path:
        driver.get(BASE + path)
    problems = problems_in_logs()
    check(not problems, f"{driver.current_url}: {problems}")
    # Every visible form field has a label; colour is never the only signal of a list.
    unlabelled = driver.execute_script("""
        return [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
          .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')).map(e => e.name);""")
    check(not unlabelled, f"{driver.current_url}: fields without a label: {unlabelled}")
    check(driver.execute_script("return document.documentElement.lang") == "zh-CN", "pages are Chinese")
    if name:
        shot_number += 1
        driver.save_screenshot(os.path.join(SHOTS, f"{shot_number:02d}-{name}.png"))


def sign_in(username, password):
    driver.get(BASE + "/console/login")
    page(name=f"login-{username}")
    # The form is reachable from the keyboard alone: Tab to each field, Enter to submit.
    body = driver.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    reached = []
    for _ in range(12):
        active = driver.switch_to.active_element
        reached.append(active.get_attribute("id") or active.tag_name)
        if active.get_attribute("id") == "username":
            break
        active.send_keys(Keys.TAB)
    check("username" in reached, f"the keyboard reaches the username field: {reached}")
    driver.switch_to.active_element.send_keys(username, Keys.TAB)
    driver.switch_to.active_element.send_keys(password, Keys.ENTER)
    check("/console/" in driver.current_url and "/login" not in driver.current_url, f"{username} signs in: {driver.current_url}")
    page()


def sign_out():
    driver.find_element(By.CSS_SELECTOR, "form[action='/console/logout'] button").click()
    # The form's answer is a redirect: wait for the browser to land on the sign-in page.
    WebDriverWait(driver, 10).until(lambda d: d.current_url.endswith("/console/login"))
    check("工作人员登录" in driver.page_source, f"signed out: {driver.current_url}")


def press(selector):
    driver.find_element(By.CSS_SELECTOR, selector).click()


try:
    # 1. The 灵宝市 county officer approves the submitted application.
    sign_in("county-411282", DEMO)
    page("/console/", "overview-county")
    page("/console/applications?status=submitted", "applications-county")
    driver.find_element(By.LINK_TEXT, "灵宝矿山机械").click()
    page(name="application-submitted")
    check("推荐上报" not in driver.page_source, "a county officer has no bureau buttons")
    press("#do-county_approve")
    page(name="application-county-approved")
    check("已完成：县区审核通过" in driver.page_source, "the county's approval is confirmed")
    check(api("GET", f"/v1/applications/{application['id']}", token=enterprise)["status"] == "county_approved", "the API agrees")
    sign_out()

    # 2. The bureau recommends it and records the approval.
    sign_in("bureau-cert", DEMO)
    driver.get(BASE + f"/console/applications/{application['id']}")
    press("#do-recommend")
    page(name="application-recommended")
    driver.find_element(By.ID, "docno-record_decision").send_keys("豫工信〔2026〕88号")
    press("#do-record_decision")
    page(name="application-approved")
    check("已认定" in driver.page_source, "the application is approved")

    # 3. One bureau account records the payment, a second confirms it.
    page("/console/rewards", "rewards-pending")
    row = driver.find_element(By.XPATH, "//tr[td[1][text()='灵宝矿山机械']]")
    reward = row.get_attribute("id").removeprefix("reward-")
    driver.find_element(By.ID, f"voucher-{reward}").send_keys("财付-2026-301")
    press(f"#disburse-{reward}")
    page(name="rewards-disbursing")
    check(not driver.find_elements(By.ID, f"confirm-{reward}"), "the recorder cannot confirm their own payment")
    sign_out()
    sign_in("bureau-finance", DEMO)
    page("/console/rewards")
    press(f"#confirm-{reward}")
    page(name="rewards-confirmed")
    check("已完成：复核确认" in driver.page_source, "the payment is confirmed")
    for path, name in [("/console/", "overview-bureau"), ("/console/applications", "applications-bureau"),
                       ("/console/targets", "targets"), ("/console/audit", "audit")]:
        page(path, name)
    # A match run started from its page; the page follows it until it is done.
    page("/console/matching")
    press("#start-run")
    for _ in range(120):
        if "已完成" in driver.page_source and "缺口分析" in driver.page_source:
            break
        time.sleep(0.5)
    page(name="matching-done")
    check("已完成" in driver.page_source and "<svg" in driver.page_source, "the run finishes and its gaps are drawn")
    sign_out()

    # 4. The board shows 灵宝市's new completion, as the API computes it.
    after = county_row(api("GET", "/v1/scoreboard"), "411282")
    check(after["certified"] == before["certified"] + 1, f"the API counts the certification: {before} -> {after}")
    page("/board", "board")
    row = driver.find_element(By.XPATH, "//tr[td[2][text()='灵宝市']]").text
    check(percent(after["completion"]) in row, f"the board shows {percent(after['completion'])} for 灵宝市: {row}")
    check(("红榜" in driver.page_source) and ("黑榜" in driver.page_source), "the lists are named in words")
    # The printed board: one A4 landscape page.
    pdf = base64.b64decode(driver.execute_cdp_cmd("Page.printToPDF", {
        "landscape": True, "paperWidth": 11.69, "paperHeight": 8.27, "printBackground": True, "preferCSSPageSize": True})["data"])
    pdf_path = os.path.join(SHOTS, "board-print.pdf")
    with open(pdf_path, "wb") as f:
        f.write(pdf)
    pages = subprocess.run(["pdfinfo", pdf_path], capture_output=True, text=True).stdout
    check(re.search(r"^Pages:\s+1$", pages, re.M) is not None, f"the board prints on one page: {pages}")
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-singlefile", pdf_path, os.path.join(SHOTS, f"{shot_number + 1:02d}-board-print")], check=True)
    driver.get(BASE + "/board.svg")
    problems = problems_in_logs()
    check(not problems and "灵宝市" in driver.page_source, f"/board.svg: {problems}")
    driver.save_screenshot(os.path.join(SHOTS, f"{shot_number + 2:02d}-board-svg.png"))
finally:
    driver.quit()

print(f"browser test: {checks} checks passed; screenshots in {SHOTS}")
