#!/usr/bin/env python3
"""Opens a glioma-bench report in headless Chromium, takes a screenshot, and fails on what a reader would see
as broken: an image that does not load, a section or folded block with nothing in it, a report that does not
open with the answer (the finding, the headline table and its charts on the first screen).

  scripts/check-report-browser.py REPORT_DIR/index.html [--screenshot OUT.png] [--width 1280] [--height 900]

Talks to Chromium over the DevTools protocol on a pipe (--remote-debugging-pipe), standard library only.
Needs Debian's `chromium` (CHROMIUM=/path overrides). Exit status: 0 passed, 1 a check failed, 2 cannot run.
"""
import argparse
import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--allow-file-access-from-files", "--remote-debugging-pipe"]

# Runs in the page: waits for every image (folded ones too), then reports what a reader would see.
CHECKS = r"""
(async (firstScreen) => {
  const visible = [...document.images];
  const loaded = i => i.complete ? null : new Promise(r => { i.addEventListener('load', r); i.addEventListener('error', r); });
  const answer = document.querySelector('section');
  const rect = e => e ? e.getBoundingClientRect() : null;
  const table = document.getElementById('headline');
  const charts = answer ? [...answer.querySelectorAll('.charts img')] : [];
  await Promise.all(charts.map(loaded));
  const screen = {
    firstSection: answer && answer.querySelector('h2') ? answer.querySelector('h2').innerText : null,
    finding: (document.getElementById('finding') || {}).innerText || null,
    headlineRows: table ? table.querySelectorAll('tr').length - 1 : 0,
    tableBottom: table ? rect(table).bottom : null,
    chartTops: charts.slice(0, 2).map(i => [i.getAttribute('src'), rect(i).top]),
  };
  document.querySelectorAll('details').forEach(d => d.open = true);
  await Promise.all(visible.map(loaded));
  const broken = visible.filter(i => !i.complete || i.naturalWidth === 0).map(i => i.getAttribute('src'));
  const hasContent = e => (e.innerText || '').trim().length > 0 || e.tagName === 'IMG' || e.querySelector('img, table');
  const emptySections = [...document.querySelectorAll('section')]
    .filter(s => ![...s.children].some(c => c.tagName !== 'H2' && hasContent(c)))
    .map(s => (s.querySelector('h2') || {}).innerText || '(untitled)');
  const emptyDetails = [...document.querySelectorAll('details')]
    .filter(d => ![...d.children].some(c => c.tagName !== 'SUMMARY' && hasContent(c)))
    .map(d => (d.querySelector('summary') || {}).innerText || '(untitled)');
  return JSON.stringify({screen, images: visible.length, broken, sections: document.querySelectorAll('section').length,
    details: document.querySelectorAll('details').length, emptySections, emptyDetails,
    height: document.documentElement.scrollHeight, answerBottom: answer ? rect(answer).bottom + window.scrollY : null});
})
"""


class Browser:
    """Chromium with the DevTools protocol on fds 3 (commands in) and 4 (replies out), NUL-separated JSON."""

    def __init__(self, executable, profile):
        to_browser_r, self.to_browser = os.pipe()
        self.from_browser, from_browser_w = os.pipe()

        def wire():
            os.dup2(to_browser_r, 3)
            os.dup2(from_browser_w, 4)

        self.proc = subprocess.Popen([executable, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
                                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                     preexec_fn=wire, pass_fds=(3, 4))
        os.close(to_browser_r)
        os.close(from_browser_w)
        self.buffer = b""
        self.next_id = 0
        self.events = []

    def send(self, method, params=None, session=None, timeout=60):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.time() + timeout
        while time.time() < deadline:
            reply = self.read(deadline)
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)
        raise TimeoutError(f"{method}: no answer in {timeout} s")

    def wait_event(self, name, timeout=60):
        deadline = time.time() + timeout
        while time.time() < deadline:
            for i, e in enumerate(self.events):
                if e.get("method") == name:
                    return self.events.pop(i)
            self.events.append(self.read(deadline))
        raise TimeoutError(f"no {name} in {timeout} s")

    def read(self, deadline):
        while b"\0" not in self.buffer:
            if time.time() > deadline:
                raise TimeoutError("the browser stopped answering")
            chunk = os.read(self.from_browser, 1 << 16)
            if not chunk:
                err = self.proc.stderr.read().decode(errors="replace")[-2000:] if self.proc.poll() is not None else ""
                raise RuntimeError("the browser closed its DevTools pipe" + (": " + err if err else ""))
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def close(self):
        try:
            self.send("Browser.close", timeout=10)
        except Exception:  # noqa: BLE001 - closing anyway
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("report", help="the report's index.html")
    ap.add_argument("--screenshot", help="write the first screen and the rest of the answer as PNG here")
    ap.add_argument("--width", type=int, default=1280)
    ap.add_argument("--height", type=int, default=900, help="the first screen's height in CSS pixels")
    args = ap.parse_args()

    page = Path(args.report).resolve()
    if not page.is_file():
        print(f"check-report-browser: no report at {page}", file=sys.stderr)
        return 2
    executable = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not executable:
        print("check-report-browser: no chromium (apt-get install chromium)", file=sys.stderr)
        return 2

    failures = []
    with tempfile.TemporaryDirectory(prefix="gb-chromium-") as profile:
        browser = Browser(executable, profile)
        try:
            target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
            session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
            browser.send("Emulation.setDeviceMetricsOverride", {"width": args.width, "height": args.height,
                                                               "deviceScaleFactor": 1, "mobile": False}, session)
            browser.send("Page.enable", session=session)
            browser.send("Page.navigate", {"url": page.as_uri()}, session)
            browser.wait_event("Page.loadEventFired")
            # The screenshot first, with the folded blocks closed as a reader finds them.
            shot_height = None
            if args.screenshot:
                bottom = browser.send("Runtime.evaluate", {"expression": "(() => { const s = document.querySelector('section');"
                                      " return s ? s.getBoundingClientRect().bottom + window.scrollY : 0; })()",
                                      "returnByValue": True}, session)["result"].get("value") or args.height
                shot_height = int(min(max(bottom + 16, args.height), 2400))
                png = browser.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True,
                                   "clip": {"x": 0, "y": 0, "width": args.width, "height": shot_height, "scale": 1}},
                                   session)["data"]
                Path(args.screenshot).parent.mkdir(parents=True, exist_ok=True)
                Path(args.screenshot).write_bytes(base64.b64decode(png))
            result = browser.send("Runtime.evaluate", {"expression": f"({CHECKS})({args.height})", "awaitPromise": True,
                                                       "returnByValue": True}, session, timeout=120)
            if "exceptionDetails" in result:
                raise RuntimeError(f"the check script failed in the page: {result['exceptionDetails']}")
            seen = json.loads(result["result"]["value"])
        finally:
            browser.close()

    screen = seen["screen"]
    print(f"report {page}")
    print(f"  first section: {screen['firstSection']!r}")
    print(f"  finding: {screen['finding']!r}")
    print(f"  headline rows: {screen['headlineRows']}, table bottom at {screen['tableBottom']:.0f} px"
          if screen["tableBottom"] is not None else "  no headline table")
    for src, top in screen["chartTops"]:
        print(f"  chart {src} starts at {top:.0f} px")
    print(f"  {seen['images']} images, {len(seen['broken'])} broken; {seen['sections']} sections, "
          f"{seen['details']} folded blocks; page height {seen['height']} px")
    if shot_height:
        print(f"  screenshot {args.screenshot} ({args.width} x {shot_height} px)")

    if not (screen["firstSection"] or "").startswith("The answer"):
        failures.append(f"the report does not open with the answer (first section: {screen['firstSection']!r})")
    if not screen["finding"]:
        failures.append("no finding sentence")
    if screen["headlineRows"] < 1:
        failures.append("no headline rows")
    elif screen["tableBottom"] > args.height:
        failures.append(f"the headline table ends below the first screen ({screen['tableBottom']:.0f} > {args.height} px)")
    if len(screen["chartTops"]) < 2:
        failures.append(f"the answer shows {len(screen['chartTops'])} of its 2 charts (ROC, GLDR per plane)")
    for src, top in screen["chartTops"]:
        if top >= args.height:
            failures.append(f"chart {src} starts below the first screen ({top:.0f} >= {args.height} px)")
    if seen["images"] == 0:
        failures.append("no images at all")
    failures += [f"broken image: {src}" for src in seen["broken"]]
    failures += [f"empty section: {t}" for t in seen["emptySections"]]
    failures += [f"empty folded block: {t}" for t in seen["emptyDetails"]]
    for f in failures:
        print(f"FAILED  {f}", file=sys.stderr)
    print("check-report-browser: " + ("passed" if not failures else f"{len(failures)} problem(s)"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
