#!/usr/bin/python3
"""serve_check.py URL ISSUE [CHROMIUM]: checks a running `bulletin serve`
of ISSUE at URL as a user would.  Over plain HTTP: its routes answer, a
path outside them (../, %2e%2e, unknown) is 404, it listens on loopback
only.  With CHROMIUM (headless, driven through the DevTools protocol on
--remote-debugging-pipe, standard library only): the first page image
appears in three tabs, which share one event stream; an atomic save that changes one paragraph replaces
that page's image within LIMIT_MS (measured from the rename to the image's
load event) while the other pages are not fetched again and the scroll
position stays, in the other tabs too; the listening tab closed, its
stream ends and another tab listens; a save that breaks the front
matter shows a banner with FILE:LINE:COL and the source line, the pages
kept; the fix removes it; a click on a line shows its issue line.
Prints "ok NAME", "FAIL NAME: why" and "measure ..." lines."""
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

url, issue = sys.argv[1], sys.argv[2]
browser = sys.argv[3] if len(sys.argv) > 3 else None
LIMIT_MS = float(os.environ.get("SERVE_LIMIT_MS", "1000"))
STARTUP_S = 90  # a loaded two-core machine: chromium's start, the first render
host = urllib.parse.urlsplit(url)
port = host.port
failures = 0


def result(name, good, why=""):
    global failures
    if good:
        print("ok", name)
    else:
        failures += 1
        print("FAIL %s: %s" % (name, why))
    sys.stdout.flush()


def raw_get(path, host_header=None, method="GET", body=None):
    """GET path exactly as written (no client normalisation)."""
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    c.putrequest(method, path, skip_host=host_header is not None, skip_accept_encoding=True)
    if host_header is not None:
        c.putheader("Host", host_header)
    if body is not None:
        c.putheader("Content-Length", str(len(body)))
    c.endheaders(body)
    r = c.getresponse()
    body = r.read()
    c.close()
    return r.status, r.getheader("Content-Type") or "", body


def state():
    return json.loads(raw_get("/state.json")[2])


def wait_for(what, test, timeout, step=0.02):
    """test() until it returns something true; None after timeout s."""
    end = time.time() + timeout
    while True:
        v = test()
        if v:
            return v
        if time.time() > end:
            return None
        time.sleep(step)


def save(text):
    """An editor's atomic save: a temporary file renamed over the issue;
    returns the time of the rename (ms since the epoch)."""
    d = os.path.dirname(os.path.abspath(issue))
    fd, tmp = tempfile.mkstemp(dir=d, prefix=".issue-", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    os.rename(tmp, issue)
    return time.time() * 1000


# ---- plain HTTP
s0 = state()
npages = len(s0["pages"])
result("the state lists the pages (%d)" % npages, npages > 1 and s0["error"] is None, s0)
st, ty, body = raw_get("/")
result("/ is the preview page", st == 200 and ty.startswith("text/html") and b"EventSource" in body,
       (st, ty))
st, ty, body = raw_get("/page/1.png")
result("/page/1.png is a PNG", st == 200 and ty == "image/png" and body[:8] == b"\x89PNG\r\n\x1a\n",
       (st, ty))
st, ty, body = raw_get("/page/%d.png?v=%s" % (npages, s0["pages"][-1]))
result("the last page with its version", st == 200 and body[:4] == b"\x89PNG", st)
st, ty, body = raw_get("/lines/1.json")
result("/lines/1.json is JSON", st == 200 and "lines" in json.loads(body), st)
for path in ["/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
             "/page/../../../etc/passwd", "/page/1.png/../../etc/passwd", "/page/%2e%2e/etc/passwd",
             "/page/0.png", "/page/01.png", "/page/%d.png" % (npages + 1), "/page/1.PNG",
             "/page/-1.png", "/page/1x.png", "/lines/99999999.json", "/index.html", "/preview/index.html",
             "//etc/passwd", "/%00", "/page/1.png%00", "/events%00x", "/%2f", "/page/1%2epng",
             "/fonts/fonts.conf", "/issue.md", "/events/x", "/nothing"]:
    st, ty, body = raw_get(path)
    result("%s is 404" % path, st == 404 and b"root:" not in body, st)
st, ty, body = raw_get("/", host_header="attacker.example:%d" % port)
result("another Host is refused", st in (403, 404) and b"EventSource" not in body, st)
st, ty, body = raw_get("/", method="POST", body=b"x=1")
result("a POST is refused", st == 405, st)
listening = []
with open("/proc/net/tcp") as f:
    for row in f.readlines()[1:]:
        local, state_hex = row.split()[1], row.split()[3]
        addr, p = local.split(":")
        if int(p, 16) == port and state_hex == "0A":
            listening.append(addr)
have6 = False
if os.path.exists("/proc/net/tcp6"):
    with open("/proc/net/tcp6") as f:
        have6 = any(int(r.split()[1].split(":")[1], 16) == port and r.split()[3] == "0A"
                    for r in f.readlines()[1:])
result("listens on 127.0.0.1 only", listening == ["0100007F"] and not have6, (listening, have6))

if not browser:
    sys.exit(1 if failures else 0)


# ---- chromium through the DevTools protocol on a pipe (fds 3 and 4)
class Browser:
    def __init__(self, exe, profile):
        to_chrome_r, self.to_chrome = os.pipe()
        self.from_chrome, from_chrome_w = os.pipe()

        def fds():  # the pipes to 3 and 4 (which they may hold already)
            r, w = os.dup(to_chrome_r), os.dup(from_chrome_w)
            os.dup2(r, 3)
            os.dup2(w, 4)

        self.proc = subprocess.Popen(
            [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
             "--no-first-run", "--no-default-browser-check", "--disable-extensions",
             "--disable-background-networking", "--disable-renderer-backgrounding",
             "--disable-background-timer-throttling", "--disable-backgrounding-occluded-windows",
             "--window-size=1000,1300", "--user-data-dir=" + profile,
             "--remote-debugging-pipe", "about:blank"],
            preexec_fn=fds, close_fds=False, stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self.buf = b""
        self.next_id = 0
        self.events = []

    def _read(self):
        while b"\0" not in self.buf:
            chunk = os.read(self.from_chrome, 65536)
            if not chunk:
                raise RuntimeError("chromium closed the pipe")
            self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)

    def call(self, method, session=None, **params):
        self.next_id += 1
        m = {"id": self.next_id, "method": method, "params": params}
        if session:
            m["sessionId"] = session
        os.write(self.to_chrome, json.dumps(m).encode() + b"\0")
        while True:
            r = self._read()
            if r.get("id") == self.next_id:
                if "error" in r:
                    raise RuntimeError("%s: %s" % (method, r["error"]))
                return r.get("result", {})
            self.events.append(r)

    def close(self):
        try:  # asked, not waited for: it may be what hangs
            os.write(self.to_chrome, json.dumps({"id": 0, "method": "Browser.close"}).encode() + b"\0")
        except OSError:
            pass
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


class Tab:
    def __init__(self, b, address):
        self.b = b
        # a window each: a background tab is hidden, and draws no lazy image
        self.target = b.call("Target.createTarget", url=address, newWindow=True)["targetId"]
        self.session = b.call("Target.attachToTarget", targetId=self.target, flatten=True)["sessionId"]

    def js(self, expr):
        r = self.b.call("Runtime.evaluate", self.session, expression=expr, returnByValue=True,
                        awaitPromise=True)
        if "exceptionDetails" in r:
            raise RuntimeError("%s: %s" % (expr, r["exceptionDetails"]))
        return r["result"].get("value")

    def click(self, x, y):
        for kind in ("mousePressed", "mouseReleased"):
            self.b.call("Input.dispatchMouseEvent", self.session, type=kind, x=x, y=y,
                        button="left", clickCount=1)

    def close(self):
        self.b.call("Target.closeTarget", targetId=self.target)


def loads(tab, since=0):
    return tab.js("JSON.stringify(window.bulletinLoads ? bulletinLoads.slice(%d) : [])" % since)


def page_loaded(tab, n, version=None):
    """Page n's image is shown (the version, if given)."""
    expr = ("(() => { const i = document.querySelector('#page-%d img');"
            " return !!i && i.complete && i.naturalWidth > 0 && %s; })()"
            % (n, "i.dataset.version === %s" % json.dumps(version) if version else "true"))
    return tab.js(expr)


original = open(issue, encoding="utf-8").read()
rows = original.split("\n")

# the paragraph to change: the longest body line past the middle; two of
# its Han characters swapped (the same widths, so the page's lines keep
# their breaks and the other pages theirs)
body_from = [i for i, r in enumerate(rows) if r == "---"][1] + 1
candidates = [i for i in range(max(body_from, len(rows) // 2), len(rows))
              if rows[i] and not re.match(r"[#>|!\-*+0-9 \[:]", rows[i])]
target = max(candidates, key=lambda i: len(rows[i]))
line = rows[target]
han = [k for k, ch in enumerate(line) if "\u4e00" <= ch <= "\u9fff"]
k = next(k for k in han[len(han) // 2:] if k + 1 < len(line) and "\u4e00" <= line[k + 1] <= "\u9fff"
         and line[k] != line[k + 1])
changed_rows = list(rows)
changed_rows[target] = line[:k] + line[k + 1] + line[k] + line[k + 2:]
source_line = target + 1

# the page that shows it, and where
shown_on = None
for n in range(1, npages + 1):
    boxes = json.loads(raw_get("/lines/%d.json" % n)[2])["lines"]
    hit = [b for b in boxes if b[4] == source_line]
    if hit:
        shown_on, box = n, hit[0]
        break
result("line %d is found on a page (%s)" % (source_line, shown_on), shown_on is not None,
       "no /lines/N.json names it")
if shown_on is None:
    sys.exit(1)

def too_long(signum, frame):
    raise TimeoutError("the browser checks took over %d s" % BROWSER_S)


BROWSER_S = 300  # all of them, on a loaded machine: a browser that hangs fails
signal.signal(signal.SIGALRM, too_long)
signal.alarm(BROWSER_S)
profile = tempfile.mkdtemp(prefix="bulletin-chrome-")
b = Browser(browser, profile)
try:
    b.call("Target.setDiscoverTargets", discover=False)
    t0 = time.time()
    tabs = [Tab(b, url) for _ in range(3)]
    first = [wait_for("page 1", lambda t=t: page_loaded(t, 1), STARTUP_S, 0.1) for t in tabs]
    print("measure first page image shown in 3 tabs after %.0f ms" % ((time.time() - t0) * 1000))
    result("the first page image appears in three tabs", all(first), first)
    # the tabs share one stream: one of them listens, and tells the others
    streams = wait_for("a stream", lambda: state()["streams"], 20, 0.1)
    time.sleep(1)
    listening = [t.js("window.bulletinListening === true") for t in tabs]
    result("three tabs share one event stream (%s streams, listening %s)" % (state()["streams"], listening),
           state()["streams"] == 1 and listening.count(True) == 1, (state()["streams"], listening))
    leader = tabs[listening.index(True)] if True in listening else tabs[0]
    tab = next(t for t in tabs if t is not leader)  # it hears of changes from the leader
    others = [t for t in tabs if t is not tab]
    # the changed page in view, drawn; then the save
    tab.js("document.getElementById('page-%d').scrollIntoView()" % shown_on)
    drawn = wait_for("page drawn", lambda: page_loaded(tab, shown_on), 30, 0.05)
    result("page %d is drawn when scrolled to" % shown_on, drawn, drawn)
    # the lazy images near the view loaded: no load for a second
    settled, seen, quiet_since = time.time() + 20, -1, time.time()
    while time.time() < settled:
        n_loads = len(json.loads(loads(tab)))
        if n_loads != seen:
            seen, quiet_since = n_loads, time.time()
        elif time.time() - quiet_since >= 1:
            break
        time.sleep(0.1)
    scroll_before = tab.js("scrollY")
    before = state()
    shown_before = json.loads(loads(tab))
    base = len(shown_before)
    old_v = before["pages"][shown_on - 1]
    saved_at = save("\n".join(changed_rows))
    new = wait_for("page replaced",
                   lambda: [e for e in json.loads(loads(tab, base))
                            if e["page"] == shown_on and e["version"] != old_v], 30, 0.01)
    latency = new[0]["t"] - saved_at if new else None
    print("measure save to replaced page image: %s ms (limit %.0f)" %
          ("%.0f" % latency if new else "none", LIMIT_MS))
    result("the changed page's image is replaced within %.0f ms (%s ms)" %
           (LIMIT_MS, "%.0f" % latency if new else "none"), new and latency <= LIMIT_MS, latency)
    time.sleep(1.5)  # anything else fetched would show by now
    after = state()
    changed = [i + 1 for i, (x, y) in enumerate(zip(before["pages"], after["pages"])) if x != y]
    # a page drawn before and drawn again (a first lazy load is not a reload)
    drawn_before = {e["page"] for e in shown_before}
    fetched = sorted({e["page"] for e in json.loads(loads(tab, base)) if e["page"] in drawn_before})
    print("measure pages changed %s, fetched again %s, of %d" % (changed, fetched, npages))
    result("the save changed page %d, not every page" % shown_on,
           shown_on in changed and len(changed) < npages, changed)
    result("only the changed pages are fetched again", set(fetched) <= set(changed) and fetched,
           (fetched, changed))
    result("the scroll position stays", abs(tab.js("scrollY") - scroll_before) < 2,
           (scroll_before, tab.js("scrollY")))
    v = after["pages"][shown_on - 1]
    told = [wait_for("tab %d" % i, lambda t=t: t.js(
        "document.querySelector('#page-%d img').dataset.version" % shown_on) == v, 10, 0.05)
        for i, t in enumerate(others)]
    result("the other tabs are told of the new page too", all(told), told)

    # the listening tab closed: its stream ends, another tab listens instead
    leader.close()
    others.remove(leader)
    tabs.remove(leader)
    took = wait_for("another listens", lambda: state()["streams"] == 1 and
                    [t.js("window.bulletinListening === true") for t in tabs].count(True) == 1, 15, 0.2)
    result("a closed tab's stream ends and another tab listens (%d stream)" % state()["streams"],
           took, (state()["streams"], [t.js("window.bulletinListening === true") for t in tabs]))

    # a click on the changed line: its issue file and line
    rect = json.loads(tab.js("JSON.stringify(document.querySelector('#page-%d img')"
                             ".getBoundingClientRect())" % shown_on))
    scale = rect["width"] / after["width"]
    x = rect["x"] + (box[0] + min(box[2], 40) / 2) * scale
    y = rect["y"] + (box[1] + box[3] / 2) * scale
    if not 0 <= y < tab.js("innerHeight"):
        tab.js("scrollBy(0, %f)" % (y - 300))
        rect2 = json.loads(tab.js("JSON.stringify(document.querySelector('#page-%d img')"
                                  ".getBoundingClientRect())" % shown_on))
        y += rect2["y"] - rect["y"]
    tab.click(x, y)
    where = wait_for("where", lambda: tab.js("window.bulletinWhere || ''"), 10, 0.05)
    want = "%s:%d" % (os.path.abspath(issue), source_line)
    result("a click on the line shows %s (%s)" % (want, where),
           where and where.endswith(":%d" % source_line) and os.path.abspath(where.rsplit(":", 1)[0]) == want.rsplit(":", 1)[0],
           where)
    tip = tab.js("document.getElementById('where').textContent")
    result("the tip names the line", tip and str(source_line) in tip, tip)

    # a broken front matter: the banner with FILE:LINE:COL, the pages kept
    month = next(i for i, r in enumerate(changed_rows) if r.startswith("month:"))
    broken = list(changed_rows)
    broken[month] = "month: 13"
    base = len(json.loads(loads(tab)))
    save("\n".join(broken))
    place = "%s:%d:%d" % (issue, month + 1, len("month: ") + 1)
    banner = wait_for("banner", lambda: tab.js(
        "document.getElementById('banner').classList.contains('shown') &&"
        " document.getElementById('banner').textContent"), 30, 0.05)
    print("measure banner: %r" % banner)
    err = state()["error"]
    result("the banner shows %s" % place, banner and place in banner, (banner, err))
    result("the banner shows the message and the source line",
           banner and "month" in banner and "month: 13" in banner, banner)
    told = [wait_for("tab %d" % i, lambda t=t: t.js(
        "document.getElementById('banner').classList.contains('shown')"), 10, 0.05)
        for i, t in enumerate(others)]
    result("the other tab shows the banner", all(told), told)
    time.sleep(0.5)
    result("the last good pages stay", page_loaded(tab, shown_on, v) and
           not json.loads(loads(tab, base)) and state()["pages"] == after["pages"],
           loads(tab, base))
    save(original)
    gone = wait_for("banner gone", lambda: tab.js(
        "!document.getElementById('banner').classList.contains('shown')"), 30, 0.05)
    result("the banner goes when the file is fixed", gone, gone)
    back = wait_for("restored", lambda: page_loaded(tab, shown_on, s0["pages"][shown_on - 1]), 30, 0.05)
    result("the page shows the fixed file", back and state()["pages"] == s0["pages"],
           (state()["pages"], s0["pages"]))
    result("the server still answers", raw_get("/page/1.png")[0] == 200, "")
except TimeoutError as e:
    result("the browser checks end", False, e)
finally:
    signal.alarm(0)
    b.close()
    subprocess.run(["rm", "-rf", profile])
sys.exit(1 if failures else 0)
