"""Fuzzes the console's and the board's routes (run by scripts/fuzz, in its virtualenv).

argv: the service's base URL, the bureau's password, the examples per route (twice that per
form), the seed (hypothesis runs derandomized, so the same code sends the same cases).
Signs in through the console's own form, then sends every page random query strings and every
form random fields, bodies, media types and path parameters, with and without the session's form
token. Any 5xx, or a console answer that is not a page, fails the run. Prints
"console fuzz: N requests, M failures".
"""
import http.client
import random
import re
import sys
import urllib.parse

from hypothesis import HealthCheck, given, settings, strategies as st

BASE, PASSWORD, EXAMPLES, SEED = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
host, port = urllib.parse.urlsplit(BASE).hostname, urllib.parse.urlsplit(BASE).port
requests_sent = 0
failures = []


def send(method, path, body=b"", headers=None, cookies=None):
    global requests_sent
    connection = http.client.HTTPConnection(host, port, timeout=20)
    headers = dict(headers or {})
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    data = response.read()
    requests_sent += 1
    connection.close()
    return response.status, response.getheader("content-type") or "", data, response.getheaders()


def set_cookies(headers, jar):
    for name, value in headers:
        if name.lower() == "set-cookie":
            pair = value.split(";")[0]
            key, _, val = pair.partition("=")
            jar[key] = val


# Sign in as a browser would.
jar = {}
status, _, page, headers = send("GET", "/console/login")
set_cookies(headers, jar)
token = re.search(rb'name="_csrf" value="([^"]+)"', page).group(1).decode()
form = urllib.parse.urlencode({"username": "admin", "password": PASSWORD, "_csrf": token})
status, _, _, headers = send("POST", "/console/login", form.encode(), {"Content-Type": "application/x-www-form-urlencoded"}, jar)
set_cookies(headers, jar)
assert status == 303 and "cj_console" in jar, f"console sign-in failed: {status}"
_, _, home, _ = send("GET", "/console/", cookies=jar)
csrf = re.search(rb'name="_csrf" value="([^"]+)"', home).group(1).decode()
_, _, listing, _ = send("GET", "/console/applications?year=2026", cookies=jar)
ids = sorted(set(re.findall(rb"/console/applications/([0-9a-f-]{36})", listing)))
known_id = ids[0].decode() if ids else "00000000-0000-0000-0000-000000000000"

pages = ["/board", "/board.svg", "/console/", "/console/applications", f"/console/applications/{known_id}", "/console/rewards",
         "/console/targets", "/console/matching", "/console/audit", "/console/login"]
forms = [
    ("/console/applications/{id}/transitions", ["action", "note", "version", "decision.outcome", "decision.decided_on", "decision.document_no"]),
    ("/console/rewards/{id}/disburse", ["paid_on", "voucher_no", "version"]),
    ("/console/rewards/{id}/confirm", ["version"]),
    ("/console/rewards/{id}/cancel", ["reason", "version"]),
    ("/console/targets/{year}/{region}", ["submitted", "certified", "deadline", "responsible.name", "responsible.title", "responsible.phone"]),
    ("/console/quotas/{year}/{level}/{region}", ["recommendations"]),
    ("/console/match-runs", []),
    ("/console/login", ["username", "password", "next"]),
]

text = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", "0", "-1", "2026-12-07", "2026-02-30", "approved", "county_approve", "record_decision", "1e9",
                     "9" * 30, "\x00", "%00", "<script>", "灵宝市", "../", " ", "null", "true"]),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=200, max_size=2000),
)
path_part = st.one_of(st.just(known_id), st.uuids().map(str), st.sampled_from(["2026", "411282", "provincial", "x", "%00", "..", "%E7"]),
                      st.text(max_size=12).map(lambda s: urllib.parse.quote(s, safe="")))


def check(method, path, status, media, body):
    if status >= 500:
        failures.append(f"{method} {path}: {status} {body[:200]!r}")
    elif (path.startswith("/console") or path.startswith("/board?") or path == "/board") and not path.startswith("/console/static") \
            and status not in (303,) and not media.startswith("text/html") and "attachments" not in path:
        failures.append(f"{method} {path}: {status} answered {media}, not a page")


@settings(max_examples=EXAMPLES * len(pages), deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
@given(st.sampled_from(pages), st.dictionaries(text, text, max_size=4))
def fuzz_pages(path, query):
    full = path + ("?" + urllib.parse.urlencode(query) if query else "")
    status, media, body, _ = send("GET", full, cookies=jar)
    check("GET", full, status, media, body)


@settings(max_examples=EXAMPLES * len(forms) * 2, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
@given(st.sampled_from(forms), st.data())
def fuzz_forms(form, data):
    template, fields = form
    path = template
    for name in ["{id}", "{year}", "{level}", "{region}"]:
        if name in path:
            path = path.replace(name, data.draw(path_part))
    values = data.draw(st.dictionaries(st.one_of(st.sampled_from(fields or ["x"]), text), text, max_size=6))
    if data.draw(st.booleans()):
        values["_csrf"] = csrf
    kind = data.draw(st.sampled_from(["form", "form", "raw", "json", "none"]))
    if kind == "raw":
        body = data.draw(st.binary(max_size=300))
    elif kind == "json":
        body = b'{"action":"recommend"}'
    else:
        body = urllib.parse.urlencode(values).encode()
    media = {"form": "application/x-www-form-urlencoded", "raw": "application/x-www-form-urlencoded", "json": "application/json",
             "none": None}[kind]
    headers = {"Content-Type": media} if media else {}
    status, answered, body, _ = send("POST", path, body, headers, jar)
    check("POST", path, status, answered, body)


random.seed(SEED)
fuzz_pages()
fuzz_forms()
print(f"console fuzz: {requests_sent} requests, {len(failures)} failures")
for failure in failures[:20]:
    print("  " + failure)
sys.exit(1 if failures else 0)
