#!/usr/bin/env python3
"""Drives headless Chromium over the DevTools protocol for the view tests.

    browser.py URL STEPS_JSON

Chromium is started with --remote-debugging-pipe (the protocol on fds 3 and
4, NUL-terminated JSON messages), so no port is opened. The page is loaded
in a new tab; the script waits until document.body.dataset.ready is "1",
then runs STEPS_JSON, a list of steps:

    {"eval": "JS expression"}          prints the value (JSON) on one line
    {"click": "CSS selector"}          a real mouse click at the element's centre
    {"type": "text", "into": "CSS"}    focuses the element, inserts the text
    {"wheel": "CSS", "deltaY": -120}   a mouse wheel turn over the element
    {"wait": "JS expression"}          until it is true (10 s at most)
    {"screenshot": "PATH"}             writes a PNG and prints its colour stats

At the end it prints one line {"exceptions": N, "errors": [...], "requests": [...]}:
uncaught script exceptions, console/log errors (CSP violations among them),
and every URL the page asked for other than itself. Standard library only.
"""
import base64
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import zlib

TIMEOUT = 60.0


class Browser:
    def __init__(self):
        self.profile = tempfile.mkdtemp(prefix="bullion-chromium-")
        to_browser_r, self.to_browser = os.pipe()
        self.from_browser, from_browser_w = os.pipe()
        chromium = shutil.which("chromium") or "/usr/bin/chromium"
        args = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-extensions", "--mute-audio", "--hide-scrollbars", "--window-size=1280,800",
                "--user-data-dir=" + self.profile, "--remote-debugging-pipe", "about:blank"]

        def child_fds():
            # Copies first: a pipe end may already be fd 3 or 4, and dup2 onto
            # itself would keep it close-on-exec.
            read_end, write_end = os.dup(to_browser_r), os.dup(from_browser_w)
            os.dup2(read_end, 3)
            os.dup2(write_end, 4)

        # fds 3 and 4 are put in place after the fork; close_fds would shut them
        # again (Python's own descriptors are close-on-exec anyway).
        self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, preexec_fn=child_fds, close_fds=False)
        os.close(to_browser_r)
        os.close(from_browser_w)
        self.buffer = b""
        self.next_id = 0
        self.events = []
        self.session = None

    def close(self):
        try:
            self.send("Browser.close", session=False)
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        shutil.rmtree(self.profile, ignore_errors=True)

    def read_message(self, deadline):
        while b"\0" not in self.buffer:
            if time.monotonic() > deadline:
                raise TimeoutError("no answer from chromium")
            chunk = os.read(self.from_browser, 1 << 20)
            if not chunk:
                raise EOFError("chromium went away")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def send(self, method, params=None, session=True):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            message["sessionId"] = self.session
        os.write(self.to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + TIMEOUT
        while True:
            reply = self.read_message(deadline)
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(method + ": " + json.dumps(reply["error"]))
                return reply.get("result", {})
            self.events.append(reply)

    def evaluate(self, expression):
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                "awaitPromise": True})
        if "exceptionDetails" in result:
            raise RuntimeError("evaluate: " + json.dumps(result["exceptionDetails"])[:2000])
        return result["result"].get("value")

    def wait_for(self, expression, seconds=10.0):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.evaluate(expression):
                return
            time.sleep(0.05)
        raise TimeoutError("waited for: " + expression)

    def centre(self, selector):
        box = self.evaluate("(() => { const e = document.querySelector(%s); if (!e) return null; "
                            "e.scrollIntoView({block: 'center'}); const r = e.getBoundingClientRect(); "
                            "return [r.left + r.width / 2, r.top + r.height / 2]; })()" % json.dumps(selector))
        if box is None:
            raise RuntimeError("no element " + selector)
        return box

    def open(self, url):
        target = self.send("Target.createTarget", {"url": "about:blank"}, session=False)["targetId"]
        self.session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True},
                                 session=False)["sessionId"]
        for domain in ("Runtime", "Log", "Network", "Page"):
            self.send(domain + ".enable")
        self.send("Page.navigate", {"url": url})
        self.wait_for("document.readyState === 'complete' && document.body && document.body.dataset.ready === '1'",
                      TIMEOUT)


def png_stats(png):
    """Distinct colours and the share of pixels unlike the top-left one."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width, height, colour = 8, b"", 0, 0, 0
    while pos < len(png):
        length, kind = struct.unpack(">I4s", png[pos:pos + 8])
        body = png[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and colour in (2, 6), "8-bit RGB(A) expected"
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    channels = 4 if colour == 6 else 3
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, previous = [], bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b = previous[i]
            c = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + a) & 255
            elif kind == 2:
                line[i] = (line[i] + b) & 255
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        previous = line
    colours, background, other = set(), rows[0][:3], 0
    for line in rows:
        for x in range(0, stride, channels):
            pixel = line[x:x + 3]
            colours.add(pixel)
            if pixel != background:
                other += 1
    return {"width": width, "height": height, "colours": len(colours), "non_background": other / (width * height)}


def run(url, steps):
    browser = Browser()
    try:
        browser.open(url)
        for step in steps:
            if "eval" in step:
                print(json.dumps(browser.evaluate(step["eval"]), ensure_ascii=False))
            elif "click" in step:
                x, y = browser.centre(step["click"])
                for kind in ("mousePressed", "mouseReleased"):
                    browser.send("Input.dispatchMouseEvent", {"type": kind, "x": x, "y": y, "button": "left",
                                                              "clickCount": 1})
            elif "type" in step:
                browser.evaluate("document.querySelector(%s).focus()" % json.dumps(step["into"]))
                browser.send("Input.insertText", {"text": step["type"]})
            elif "wheel" in step:
                x, y = browser.centre(step["wheel"])
                browser.send("Input.dispatchMouseEvent", {"type": "mouseWheel", "x": x, "y": y, "deltaX": 0,
                                                          "deltaY": step.get("deltaY", -120)})
            elif "wait" in step:
                browser.wait_for(step["wait"])
            elif "screenshot" in step:
                png = base64.b64decode(browser.send("Page.captureScreenshot", {"format": "png"})["data"])
                with open(step["screenshot"], "wb") as out:
                    out.write(png)
                print(json.dumps(png_stats(png)))
        browser.evaluate("1")  # collect events that arrived meanwhile
        exceptions = sum(1 for e in browser.events if e.get("method") == "Runtime.exceptionThrown")
        errors = [e["params"]["entry"]["text"] for e in browser.events
                  if e.get("method") == "Log.entryAdded" and e["params"]["entry"]["level"] == "error"]
        errors += [" ".join(str(a.get("value")) for a in e["params"]["args"]) for e in browser.events
                   if e.get("method") == "Runtime.consoleAPICalled" and e["params"]["type"] == "error"]
        requests = sorted({e["params"]["request"]["url"] for e in browser.events
                           if e.get("method") == "Network.requestWillBeSent"} - {url.split("#")[0]})
        print(json.dumps({"exceptions": exceptions, "errors": errors, "requests": requests}, ensure_ascii=False))
    finally:
        browser.close()


if __name__ == "__main__":
    run(sys.argv[1], json.loads(sys.argv[2]))
