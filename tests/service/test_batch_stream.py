# SPDX-License-Identifier: Apache-2.0
"""POST /v1/batch is streamed: results come back, one chunk per piece read, while the client is still
sending; the bytes are those of `symtri batch` for every kind of line (CRLF, blank, too long, split
across pieces, no final newline); a failure after the 200 ends the body with one error line. Also
`symtri serve`'s command line (CLI11, as every command): --help, bad values, unknown options."""
import json
import os
import random
import socket
import subprocess
import threading
import unittest

from server import BIN, SLOW, SOURCE, Server

CASES = [l for l in open(os.path.join(SOURCE, "examples", "cases", "cases.jsonl"), "rb").read().splitlines() if l.strip()]


def cli_batch(data, *args):
    return subprocess.run([BIN, "batch", "--threads", "1", "--quiet", *args, "-"], input=data,
                          stdout=subprocess.PIPE, check=False).stdout


class Chunked:
    """A raw HTTP/1.1 connection sending a chunked request body piece by piece, reading the chunked
    response as it comes."""

    def __init__(self, port, path=b"/v1/batch", content_type=b"application/x-ndjson", version=b"HTTP/1.1"):
        self.c = socket.create_connection(("127.0.0.1", port), timeout=30 * SLOW)
        self.c.sendall(b"POST " + path + b" " + version + b"\r\nHost: t\r\nContent-Type: " + content_type +
                       b"\r\nTransfer-Encoding: chunked\r\n\r\n")
        self.raw = b""
        self.head = None

    def send(self, piece):
        if piece:
            self.c.sendall(b"%x\r\n" % len(piece) + piece + b"\r\n")

    def end(self):
        self.c.sendall(b"0\r\n\r\n")

    def _fill(self):
        got = self.c.recv(65536)
        if not got:
            raise EOFError("the server closed the connection")
        self.raw += got

    def headers(self):
        while b"\r\n\r\n" not in self.raw:
            self._fill()
        head, _, self.raw = self.raw.partition(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        self.status = int(lines[0].split(b" ")[1])
        self.head = {k.strip().lower(): v.strip() for k, v in (l.split(b":", 1) for l in lines[1:])}
        return self.status, self.head

    def chunk(self):
        """The next chunk's data; b"" for the last chunk."""
        while b"\r\n" not in self.raw:
            self._fill()
        size_line, _, rest = self.raw.partition(b"\r\n")
        size = int(size_line.split(b";")[0], 16)
        while len(rest) < size + 2:
            self._fill()
            size_line, _, rest = self.raw.partition(b"\r\n")
        self.raw = rest[size + 2:]
        return rest[:size]

    def body(self):
        out = b""
        while True:
            c = self.chunk()
            if not c:
                return out
            out += c

    def close(self):
        self.c.close()


class BatchStreamTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # A small case limit, so that a too-long line is cheap to send.
        cls.s = Server("--threads", "2", "--max-case-bytes", "400", "--max-batch-bytes", "200000")

    @classmethod
    def tearDownClass(cls):
        assert cls.s.stop() == 0, cls.s.stderr()

    def test_first_results_before_the_body_ends(self):
        c = Chunked(self.s.port)
        try:
            c.send(CASES[0] + b"\n" + CASES[1] + b"\n")
            status, head = c.headers()
            self.assertEqual(status, 200)
            self.assertEqual(head[b"transfer-encoding"], b"chunked")
            self.assertEqual(head[b"content-type"], b"application/x-ndjson")
            first = b""
            while first.count(b"\n") < 2:  # answered while the request is still open (one chunk or more)
                got = c.chunk()
                self.assertNotEqual(got, b"", "the response ended before the request did")
                first += got
            self.assertEqual(first, cli_batch(CASES[0] + b"\n" + CASES[1] + b"\n"))
            rest = b"".join(l + b"\n" for l in CASES[2:12])
            c.send(rest)
            c.end()
            self.assertEqual(first + c.body(), cli_batch(b"".join(l + b"\n" for l in CASES[:12])))
        finally:
            c.close()

    def test_every_kind_of_line_same_bytes_as_cli(self):
        rng = random.Random(7)
        lines = []
        for i in range(300):
            kind = rng.randrange(6)
            case = CASES[rng.randrange(len(CASES))]
            if kind == 0:
                lines.append(case + b"\r\n")  # CRLF
            elif kind == 1:
                lines.append(b"  \t\n")  # blank
            elif kind == 2:
                lines.append(b'{"findings": {"headache": true}, "notes": "' + b"x" * rng.randrange(380, 900) + b'"}\n')
            elif kind == 3:
                lines.append(case[: rng.randrange(1, len(case))] + b"\n")  # cut: not JSON
            else:
                lines.append(case + b"\n")
        data = b"".join(lines) + CASES[0]  # and a last line without '\n'
        expected = cli_batch(data, "--max-case-bytes", "400")
        self.assertEqual(expected.count(b"\n"), len(lines) + 1)
        c = Chunked(self.s.port)
        try:
            at = 0
            while at < len(data):  # pieces of every size, lines split across them
                n = rng.choice((1, 3, 17, 250, 4096))
                c.send(data[at:at + n])
                at += n
            c.end()
            status, _ = c.headers()
            self.assertEqual(status, 200)
            self.assertEqual(c.body(), expected)
        finally:
            c.close()
        # The same through urllib with a Content-Length (one piece, not chunked on the way in).
        status, headers, body = self.s.request("POST", "/v1/batch", data, content_type="application/x-ndjson")
        self.assertEqual((status, body), (200, expected))

    def test_over_the_limit_mid_stream_ends_with_an_error_line(self):
        c = Chunked(self.s.port)
        line = CASES[0] + b"\n"

        def send():  # beside the reading below: the results are far larger than the cases
            try:
                for _ in range(400000 // (len(line) * 50)):
                    c.send(line * 50)
            except OSError:
                pass  # the server stopped reading: fine, its answer is what counts

        sender = threading.Thread(target=send)
        sender.start()
        try:
            status, _ = c.headers()
            self.assertEqual(status, 200)
            out = c.body().splitlines()
            self.assertGreater(len(out), 1)
            last = json.loads(out[-1])
            self.assertEqual(last["error"]["code"], "body_too_large")
            self.assertEqual(last["error"]["status"], 413)
            for l in out[:-1]:
                self.assertIn("level", json.loads(l))
            self.assertLessEqual(len(out) - 1, 200000 // len(line) + 1)
        finally:
            try:
                c.c.shutdown(socket.SHUT_RDWR)  # the sender stops too
            except OSError:
                pass
            sender.join()
            c.close()
        self.assertEqual(self.s.json("GET", "/healthz")[0], 200)

    def test_a_client_that_stops_sending_gets_an_error_line(self):
        s = Server("--request-timeout-ms", str(300 * SLOW))
        try:
            c = Chunked(s.port)
            try:
                c.send(CASES[0] + b"\n")
                status, _ = c.headers()
                self.assertEqual(status, 200)
                out = c.body().splitlines()  # nothing more is sent: the deadline for the next piece passes
                self.assertEqual(len(out), 2)
                self.assertIn("level", json.loads(out[0]))
                self.assertEqual(json.loads(out[1])["error"]["code"], "request_timeout")
            finally:
                c.close()
            self.assertEqual(s.json("GET", "/healthz")[0], 200)
        finally:
            self.assertEqual(s.stop(), 0)

    def test_batches_one_after_another_on_one_connection(self):
        # Each batch's body holds its own lines only, whatever came before on the connection (an empty
        # batch after a full one is empty).
        import http.client
        conn = http.client.HTTPConnection("127.0.0.1", self.s.port, timeout=30 * SLOW)
        try:
            headers = {"Content-Type": "application/x-ndjson"}
            for data in (b"".join(l + b"\n" for l in CASES[:3]), b"", CASES[3] + b"\n", b""):
                conn.request("POST", "/v1/batch", body=data, headers=headers)
                r = conn.getresponse()
                self.assertEqual(r.status, 200)
                self.assertEqual(r.read(), cli_batch(data), data)
        finally:
            conn.close()

    def test_refused_from_the_header(self):
        c = Chunked(self.s.port, content_type=b"text/plain")
        try:
            status, _ = c.headers()
            self.assertEqual(status, 415)
        finally:
            c.close()

    def test_http_1_0_gets_a_whole_body(self):
        data = b"".join(l + b"\n" for l in CASES[:5])
        with socket.create_connection(("127.0.0.1", self.s.port), timeout=30 * SLOW) as c:
            c.sendall(b"POST /v1/batch HTTP/1.0\r\nContent-Type: application/x-ndjson\r\nContent-Length: %d\r\n\r\n" % len(data) + data)
            out = b""
            while True:
                got = c.recv(65536)
                if not got:
                    break
                out += got
        head, _, body = out.partition(b"\r\n\r\n")
        self.assertIn(b" 200 ", head.split(b"\r\n")[0] + b" ")
        self.assertNotIn(b"chunked", head.lower())
        self.assertEqual(body, cli_batch(data))

    def test_metrics_and_log_count_streamed_batches(self):
        status, _, body = self.s.request("POST", "/v1/batch", CASES[0] + b"\n", content_type="application/x-ndjson")
        self.assertEqual(status, 200)
        metrics = self.s.request("GET", "/metrics")[2].decode()
        self.assertRegex(metrics, r'symtri_http_requests_total\{route="/v1/batch",code="200"\} [1-9]')
        self.assertIn('"route":"/v1/batch"', self.s.stderr())


class ServeCommandLineTest(unittest.TestCase):
    def run_serve(self, *args):
        return subprocess.run([BIN, "serve", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30 * SLOW)

    def test_help(self):
        r = self.run_serve("--help")
        self.assertEqual(r.returncode, 0)
        out = r.stdout.decode()
        self.assertTrue(out.startswith("usage: symtri serve "))
        for opt in ("--listen", "--threads", "--auth-token-file", "--max-body-bytes", "--max-batch-bytes",
                    "--max-header-bytes", "--max-connections", "--request-timeout-ms", "--no-access-log",
                    "--max-case-bytes", "exit codes:"):
            self.assertIn(opt, out)
        self.assertEqual(subprocess.run([BIN, "help", "serve"], stdout=subprocess.PIPE).stdout, r.stdout)

    def test_bad_values_and_options(self):
        for args, says in ((("--threads", "0"), "--threads must be a number from 1 to 256"),
                           (("--max-body-bytes", "12x"), "--max-body-bytes must be a number"),
                           (("--request-timeout-ms", "0"), "--request-timeout-ms must be a number from 1"),
                           (("--listen", "nowhere"), "--listen must be HOST:PORT"),
                           (("--max-case-bytes", "-1"), "max_case_bytes must be a number"),
                           (("--pretty",), "--pretty applies to triage"),
                           (("--listn", "127.0.0.1:0"), "unknown option '--listn'"),
                           (("--listen",), "--listen needs")):
            r = self.run_serve(*args)
            self.assertEqual(r.returncode, 2, args)
            self.assertIn(says, r.stderr.decode(), args)
            self.assertIn("symtri serve --help", r.stderr.decode(), args)
            self.assertEqual(r.stdout, b"", args)


if __name__ == "__main__":
    unittest.main()
