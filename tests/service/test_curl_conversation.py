# SPDX-License-Identifier: Apache-2.0
"""A whole client conversation with `symtri serve` through curl (issue 18: a urllib client does the same in
test_service.py): discovery, a patient-view hook call with prefetch, feedback on a card, triage, a streamed
batch and a reload, each answer checked, with the server started on a free loopback port."""
import json
import os
import shutil
import subprocess
import tempfile
import unittest

import cds_hooks_spec
from server import BIN, SLOW, SOURCE, Server
from test_service import fhir_condition, hook_request

CURL = shutil.which("curl")


class CurlConversationTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not CURL:
            raise RuntimeError("this test needs curl (Debian: apt-get install curl; scripts/dev.sh installs it)")
        cls.tmp = tempfile.mkdtemp(prefix="symtri-curl-")
        cls.rules = os.path.join(cls.tmp, "rules")
        shutil.copytree(os.path.join(SOURCE, "rules"), cls.rules)
        cls.s = Server("--rules", cls.rules)

    @classmethod
    def tearDownClass(cls):
        rc = cls.s.stop()
        shutil.rmtree(cls.tmp)
        assert rc == 0, cls.s.stderr()

    def curl(self, path, *args, data=None):
        """(HTTP status, body bytes) of `curl -s ... URL`."""
        cmd = [CURL, "-s", "-S", "--max-time", str(60 * SLOW), "-o", "-", "-w", "\n%{http_code}", *args,
               self.s.base + path]
        r = subprocess.run(cmd, input=data, stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=True)
        body, _, code = r.stdout.rpartition(b"\n")
        return int(code), body

    def test_conversation(self):
        # 1. Discovery.
        status, body = self.curl("/cds-services")
        self.assertEqual(status, 200)
        discovery = json.loads(body)
        self.assertEqual(cds_hooks_spec.discovery(discovery), [])
        service = discovery["services"][0]
        self.assertEqual(service["hook"], "patient-view")
        # 2. The hook, with the prefetch the discovery asked for: sciatica and urinary retention.
        request = hook_request([fhir_condition("23056005"), fhir_condition("267064002")])
        self.assertEqual(set(request["prefetch"]) - {"patient"}, set(service["prefetch"]) - {"patient"})
        status, body = self.curl("/cds-services/" + service["id"], "-H", "Content-Type: application/json",
                                 "--data-binary", "@-", data=json.dumps(request).encode())
        self.assertEqual(status, 200, body)
        cards = json.loads(body)
        self.assertEqual(cds_hooks_spec.response(cards), [])
        self.assertIn("critical", [c["indicator"] for c in cards["cards"]])
        # 3. Feedback on the first card.
        feedback = {"feedback": [{"card": cards["cards"][0]["uuid"], "outcome": "accepted",
                                  "outcomeTimestamp": "2026-12-06T01:00:00Z"}]}
        status, body = self.curl("/cds-services/" + service["id"] + "/feedback", "-H", "Content-Type: application/json",
                                 "--data-binary", "@-", data=json.dumps(feedback).encode())
        self.assertEqual(status, 200, body)
        # 4. Triage: the bytes of `symtri triage`.
        case = os.path.join(SOURCE, "examples", "cases", "back_red_flag.json")
        status, body = self.curl("/v1/triage", "-H", "Content-Type: application/json", "--data-binary", "@" + case)
        self.assertEqual(status, 200)
        self.assertEqual(body, subprocess.run([BIN, "triage", "--rules", self.rules, case],
                                                       stdout=subprocess.PIPE, check=True).stdout)
        # 5. A batch, sent chunked and read as it streams (--no-buffer): the bytes of `symtri batch`.
        cases = os.path.join(SOURCE, "examples", "cases", "cases.jsonl")
        with open(cases, "rb") as f:
            data = f.read()
        status, body = self.curl("/v1/batch", "--no-buffer", "-H", "Content-Type: application/x-ndjson",
                                 "-H", "Transfer-Encoding: chunked", "--data-binary", "@-", data=data)
        self.assertEqual(status, 200)
        cli = subprocess.run([BIN, "batch", "--rules", self.rules, "--threads", "1", "--quiet", cases],
                             stdout=subprocess.PIPE).stdout
        self.assertEqual(body, cli)
        # 6. Reload after a change to the rule files: a new digest serves.
        before = json.loads(self.curl("/healthz")[1])["ruleset"]["digest"]
        vocab = os.path.join(self.rules, "vocabulary.json")
        with open(vocab) as f:
            text = f.read()
        with open(vocab, "w") as f:
            f.write(text.replace('"Low back pain"', '"Lower back pain"', 1))
        status, body = self.curl("/v1/admin/reload", "-X", "POST")
        self.assertEqual(status, 200, body)
        after = json.loads(body)["ruleset"]["digest"]
        self.assertNotEqual(after, before)
        self.assertEqual(json.loads(self.curl("/healthz")[1])["ruleset"]["digest"], after)


if __name__ == "__main__":
    unittest.main()
