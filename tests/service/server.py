# SPDX-License-Identifier: Apache-2.0
"""Starts `symtri serve` on a free loopback port for a test and talks to it with urllib only."""
import http.client
import json
import os
import signal
import subprocess
import tempfile
import urllib.error
import urllib.request

BIN = os.environ.get("SYMTRI_BIN", "symtri")
SOURCE = os.environ.get("SYMTRI_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
# Under ASan+UBSan everything is slower: waits are longer, nothing else changes.
SLOW = 4 if os.environ.get("SYMTRI_SANITIZED") else 1


class Server:
    """`symtri serve --listen 127.0.0.1:0 ARGS`; its first stdout line says the port."""

    def __init__(self, *args, env=None):
        self.log = tempfile.TemporaryFile()
        self.proc = subprocess.Popen([BIN, "serve", "--listen", "127.0.0.1:0", *args], stdout=subprocess.PIPE,
                                     stderr=self.log, env=env)
        line = self.proc.stdout.readline()
        if not line:
            self.proc.wait(10 * SLOW)
            self.proc.stdout.close()
            raise RuntimeError("server did not start: " + self.stderr())
        self.hello = json.loads(line)
        self.port = self.hello["port"]
        self.base = "http://127.0.0.1:%d" % self.port

    def stderr(self):
        self.log.seek(0)
        return self.log.read().decode("utf-8", "replace")

    def request(self, method, path, body=None, content_type="application/json", headers=None, timeout=30):
        """(status, headers, body bytes); 4xx/5xx are returned, not raised."""
        h = dict(headers or {})
        if body is not None:
            if isinstance(body, str):
                body = body.encode()
            if content_type:
                h["Content-Type"] = content_type
        req = urllib.request.Request(self.base + path, data=body, method=method, headers=h)
        try:
            with urllib.request.urlopen(req, timeout=timeout * SLOW) as r:
                return r.status, r.headers, r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.headers, e.read()

    def json(self, method, path, body=None, **kw):
        status, headers, data = self.request(method, path, body, **kw)
        return status, json.loads(data) if data else None

    def rss_kb(self):
        with open("/proc/%d/status" % self.proc.pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0

    def stop(self):
        """SIGTERM; returns the exit code."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(30 * SLOW)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                raise
        self.proc.stdout.close()
        self.log.close()
        return self.proc.returncode
