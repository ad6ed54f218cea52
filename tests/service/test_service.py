# SPDX-License-Identifier: Apache-2.0
"""`symtri serve` end to end with a urllib client: the JSON API (same bytes as the command line),
the CDS Hooks 2.0 service checked against the specification's rules, reload, limits, auth, SIGTERM."""
import glob
import json
import os
import shutil
import socket
import subprocess
import tempfile
import unittest
import uuid

import cds_hooks_spec
from server import BIN, SLOW, SOURCE, Server

EXAMPLES = sorted(glob.glob(os.path.join(SOURCE, "examples", "cases", "*.json")))


def fhir_condition(code, **extra):
    r = {"resourceType": "Condition", "code": {"coding": [{"system": "http://snomed.info/sct", "code": code}]}}
    r.update(extra)
    return {"resource": r}


def hook_request(conditions, observations=()):
    return {
        "hook": "patient-view",
        "hookInstance": str(uuid.uuid4()),
        "fhirServer": "https://ehr.example.org/fhir",
        "context": {"userId": "Practitioner/1", "patientId": "p1"},
        "prefetch": {
            "patient": {"resourceType": "Patient", "id": "p1", "gender": "male", "birthDate": "1980-03-01"},
            "conditions": {"resourceType": "Bundle", "type": "searchset", "entry": list(conditions)},
            "observations": {"resourceType": "Bundle", "type": "searchset", "entry": list(observations)},
        },
    }


class ServiceTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.s = Server("--threads", "2")

    @classmethod
    def tearDownClass(cls):
        rc = cls.s.stop()
        assert rc == 0, "exit %s after SIGTERM\n%s" % (rc, cls.s.stderr())

    def test_listening_line(self):
        self.assertEqual(self.s.hello["event"], "listening")
        self.assertEqual(self.s.hello["address"], "127.0.0.1")
        self.assertTrue(self.s.hello["ruleset"].startswith("sha256:"))

    def test_healthz(self):
        status, body = self.s.json("GET", "/healthz")
        self.assertEqual(status, 200)
        self.assertEqual(body["status"], "ok")
        self.assertEqual(body["ruleset"]["digest"], self.s.hello["ruleset"])

    def test_triage_same_bytes_as_cli(self):
        self.assertTrue(EXAMPLES)
        for path in EXAMPLES:
            with open(path, "rb") as f:
                case = f.read()
            cli = subprocess.run([BIN, "triage", path], stdout=subprocess.PIPE, check=True).stdout
            status, headers, body = self.s.request("POST", "/v1/triage", case)
            self.assertEqual(status, 200, path)
            self.assertEqual(headers["Content-Type"], "application/json")
            self.assertEqual(body, cli, path)

    def test_triage_bad_case_same_error_as_cli(self):
        bad = b'{"findings": {"sciatica": tru}}'
        cli = subprocess.run([BIN, "triage", "-"], input=bad, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.assertEqual(cli.returncode, 4)
        status, _, body = self.s.request("POST", "/v1/triage", bad)
        self.assertEqual(status, 400)
        self.assertEqual(body, cli.stdout)
        err = json.loads(body)["error"]
        self.assertIn("line", err)  # where
        status, body = self.s.json("POST", "/v1/triage", b'{"findings": {"no_such_finding": true}}')
        self.assertEqual(status, 400)
        self.assertIn("no_such_finding", body["error"]["message"])

    def test_triage_wrong_content_type(self):
        status, body = self.s.json("POST", "/v1/triage", b"{}", content_type="text/plain")
        self.assertEqual(status, 415)
        self.assertEqual(body["error"]["code"], "unsupported_media_type")

    def test_batch_with_bad_line(self):
        lines = []
        with open(os.path.join(SOURCE, "examples", "cases", "cases.jsonl"), "rb") as f:
            lines = [l for l in f.read().splitlines() if l.strip()][:20]
        lines.insert(3, b'{"findings": not json')
        lines.insert(7, b"")
        data = b"\n".join(lines) + b"\n"
        cli = subprocess.run([BIN, "batch", "--threads", "1", "--quiet"], input=data, stdout=subprocess.PIPE)
        status, headers, body = self.s.request("POST", "/v1/batch", data, content_type="application/x-ndjson")
        self.assertEqual(status, 200)
        self.assertEqual(body, cli.stdout)
        out = [json.loads(l) for l in body.splitlines()]
        self.assertEqual(len(out), len(lines))
        self.assertIn("error", out[3])
        self.assertEqual(out[3]["line"], 4)
        self.assertIn("level", out[4])

    def test_rules(self):
        status, body = self.s.json("GET", "/v1/rules")
        self.assertEqual(status, 200)
        self.assertEqual(body["digest"], self.s.hello["ruleset"])
        for key in ("id", "version", "levels", "vocabulary"):
            self.assertIn(key, body)
        ids = {v["id"]: v for v in body["vocabulary"]}
        self.assertIn("sciatica", ids)
        self.assertTrue(all(v["prompt"] for v in body["vocabulary"]))
        self.assertEqual(ids["low_back_pain"]["codes"][0]["code"], "279039007")

    def test_metrics(self):
        self.s.request("GET", "/healthz")
        status, headers, body = self.s.request("GET", "/metrics")
        self.assertEqual(status, 200)
        self.assertTrue(headers["Content-Type"].startswith("text/plain"))
        text = body.decode()
        self.assertIn('symtri_http_requests_total{route="/healthz",code="200"}', text)
        self.assertIn("symtri_http_request_duration_seconds_bucket", text)
        self.assertIn('digest="%s"' % self.s.hello["ruleset"], text)
        for line in text.splitlines():  # every sample line is NAME{LABELS} VALUE or NAME VALUE
            if line and not line.startswith("#"):
                float(line.rsplit(" ", 1)[1])

    def test_not_found_and_method(self):
        status, body = self.s.json("GET", "/nope")
        self.assertEqual(status, 404)
        status, headers, _ = self.s.request("GET", "/v1/triage")
        self.assertEqual(status, 405)
        self.assertIn("POST", headers["Allow"])

    # ---------------------------------------------------------------- CDS Hooks 2.0
    def test_cds_discovery(self):
        status, body = self.s.json("GET", "/cds-services")
        self.assertEqual(status, 200)
        self.assertEqual(cds_hooks_spec.discovery(body), [])
        svc = body["services"][0]
        self.assertEqual((svc["id"], svc["hook"]), ("symtri-triage", "patient-view"))
        self.assertIn("{{context.patientId}}", svc["prefetch"]["conditions"])

    def test_cds_hook_red_flag(self):
        # Sciatica and urinary retention (SNOMED CT) -> the cauda equina red flag, a critical card.
        req = hook_request([fhir_condition("23056005"), fhir_condition("267064002")])
        status, body = self.s.json("POST", "/cds-services/symtri-triage", json.dumps(req))
        self.assertEqual(status, 200, body)
        self.assertEqual(cds_hooks_spec.response(body), [])
        try:  # also the project's JSON Schema of a CDS Hooks 2.0 response (tests/formats), when jsonschema is here
            import jsonschema
        except ImportError:
            jsonschema = None
        if jsonschema:
            with open(os.path.join(SOURCE, "tests", "formats", "cds-hooks-2.0-response.schema.json")) as f:
                jsonschema.validate(body, json.load(f))
        cards = body["cards"]
        self.assertGreaterEqual(len(cards), 2)
        self.assertIn("critical", [c["indicator"] for c in cards])
        self.assertTrue(cards[0]["summary"].startswith("Triage level:"))
        self.assertTrue(any(c["summary"].startswith("Red flag: ") for c in cards[1:]))
        self.assertTrue(any(l["type"] == "absolute" for c in cards for l in c.get("links", [])))
        for c in cards:  # the clinician's voice: the person-facing wording stays out
            self.assertNotIn("you said", c["detail"].lower())
        # Fresh uuids per response.
        status, again = self.s.json("POST", "/cds-services/symtri-triage", json.dumps(req))
        self.assertFalse({c["uuid"] for c in cards} & {c["uuid"] for c in again["cards"]})
        # Feedback on a card.
        fb = {"feedback": [{"card": cards[1]["uuid"], "outcome": "accepted", "outcomeTimestamp": "2026-12-05T20:00:00Z"}]}
        status, _, _ = self.s.request("POST", "/cds-services/symtri-triage/feedback", json.dumps(fb))
        self.assertEqual(status, 200)
        status, body = self.s.json("POST", "/cds-services/symtri-triage/feedback", json.dumps({"feedback": [{"card": "x"}]}))
        self.assertEqual(status, 400)
        self.assertIn("outcome", body["error"]["where"])

    def test_cds_hook_refuted_and_resolved_and_observation(self):
        refuted = {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-ver-status", "code": "refuted"}]}
        resolved = {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-clinical", "code": "resolved"}]}
        req = hook_request([fhir_condition("23056005"), fhir_condition("267064002", verificationStatus=refuted),
                            fhir_condition("165232002", clinicalStatus=resolved)])
        status, body = self.s.json("POST", "/cds-services/symtri-triage", json.dumps(req))
        self.assertEqual(status, 200)
        self.assertEqual(cds_hooks_spec.response(body), [])
        self.assertNotIn("critical", [c["indicator"] for c in body["cards"]])
        # A "symptom" Observation (LOINC 75325-1) whose value is the SNOMED CT finding.
        obs = {"resource": {"resourceType": "Observation", "status": "final",
                            "code": {"coding": [{"system": "http://loinc.org", "code": "75325-1"}]},
                            "valueCodeableConcept": {"coding": [{"system": "http://snomed.info/sct", "code": "267064002"}]}}}
        req = hook_request([fhir_condition("23056005")], [obs])
        status, body = self.s.json("POST", "/cds-services/symtri-triage", json.dumps(req))
        self.assertIn("critical", [c["indicator"] for c in body["cards"]])

    def test_cds_hook_nothing_known_no_cards(self):
        req = hook_request([fhir_condition("1234567")])
        status, body = self.s.json("POST", "/cds-services/symtri-triage", json.dumps(req))
        self.assertEqual((status, body), (200, {"cards": []}))

    def test_cds_hook_bad_requests(self):
        url = "/cds-services/symtri-triage"
        status, body = self.s.json("POST", url, b'{"hook": ')
        self.assertEqual(status, 400)
        self.assertEqual(body["error"]["code"], "bad_json")
        self.assertIn("byte", body["error"]["where"])
        req = hook_request([])
        req["hook"] = "order-sign"
        self.assertEqual(self.s.json("POST", url, json.dumps(req))[0], 400)
        req = hook_request([])
        del req["context"]["patientId"]
        self.assertEqual(self.s.json("POST", url, json.dumps(req))[0], 400)
        req = hook_request([])
        del req["prefetch"]
        status, body = self.s.json("POST", url, json.dumps(req))
        self.assertEqual(status, 412)
        self.assertEqual(self.s.json("POST", url, "{}", content_type="text/plain")[0], 415)

    # ---------------------------------------------------------------- limits
    def raw(self, data, read=True):
        with socket.create_connection(("127.0.0.1", self.s.port), timeout=10 * SLOW) as c:
            c.sendall(data)
            if not read:
                return b""
            out = b""
            while True:
                chunk = c.recv(65536)
                if not chunk:
                    return out
                out += chunk

    def test_limits(self):
        big = self.raw(b"POST /v1/triage HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 104857600\r\n\r\n{")
        self.assertTrue(big.startswith(b"HTTP/1.1 413"), big[:80])
        self.assertIn(b'"body_too_large"', big)
        headers = self.raw(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 20000 + b"\r\n\r\n")
        self.assertTrue(headers.startswith(b"HTTP/1.1 431"), headers[:80])
        garbage = self.raw(b"\x00\x01 NOT HTTP\r\n\r\n")
        self.assertTrue(garbage.startswith(b"HTTP/1.1 400"), garbage[:80])
        self.assertNotIn(b"/work", big + headers + garbage)  # no paths in errors


class ReloadTest(unittest.TestCase):
    def test_reload_good_and_bad(self):
        tmp = tempfile.mkdtemp()
        try:
            rules = os.path.join(tmp, "rules")
            shutil.copytree(os.path.join(SOURCE, "rules"), rules)
            s = Server("--rules", rules)
            try:
                before = s.hello["ruleset"]
                vocab = os.path.join(rules, "vocabulary.json")
                with open(vocab) as f:
                    good = f.read()
                with open(vocab, "w") as f:
                    f.write(good[:200])  # cut short: not JSON
                status, body = s.json("POST", "/v1/admin/reload")
                self.assertEqual(status, 422)
                self.assertEqual(body["error"]["code"], "reload_failed")
                self.assertEqual(body["error"]["where"]["serving"]["digest"], before)
                self.assertNotIn(tmp, json.dumps(body))  # no server paths
                self.assertEqual(s.json("GET", "/healthz")[1]["ruleset"]["digest"], before)  # still serving
                with open(vocab, "w") as f:
                    f.write(good.replace('"Low back pain"', '"Lower back pain"', 1))
                status, body = s.json("POST", "/v1/admin/reload")
                self.assertEqual(status, 200, body)
                self.assertNotEqual(body["ruleset"]["digest"], before)
                self.assertEqual(s.json("GET", "/healthz")[1]["ruleset"]["digest"], body["ruleset"]["digest"])
                self.assertIn('symtri_ruleset_reloads_total{result="failed"} 1', s.request("GET", "/metrics")[2].decode())
            finally:
                self.assertEqual(s.stop(), 0)
        finally:
            shutil.rmtree(tmp)


class AuthTest(unittest.TestCase):
    def test_refuses_public_address_without_token(self):
        env = {k: v for k, v in os.environ.items() if k != "SYMTRI_SERVE_TOKEN"}
        r = subprocess.run([BIN, "serve", "--listen", "0.0.0.0:0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           env=env, timeout=30 * SLOW)
        self.assertEqual(r.returncode, 2)
        self.assertIn(b"not a loopback address", r.stderr)
        self.assertEqual(r.stdout, b"")

    def test_bearer_token(self):
        token = "t0ken-" + uuid.uuid4().hex
        env = dict(os.environ, SYMTRI_SERVE_TOKEN=token)
        s = Server(env=env)
        try:
            status, body = s.json("GET", "/v1/rules")
            self.assertEqual(status, 401)
            self.assertEqual(body["error"]["code"], "unauthorized")
            self.assertEqual(s.json("GET", "/v1/rules", headers={"Authorization": "Bearer wrong"})[0], 401)
            self.assertEqual(s.json("GET", "/v1/rules", headers={"Authorization": "Bearer " + token})[0], 200)
            self.assertEqual(s.json("GET", "/healthz")[0], 200)  # liveness needs no token
        finally:
            self.assertEqual(s.stop(), 0)


if __name__ == "__main__":
    unittest.main()


class VocabularyCodesTest(unittest.TestCase):
    """The `codes` of a vocabulary entry (docs/rules-format.md) are checked by the loader."""

    def check(self, codes):
        tmp = tempfile.mkdtemp()
        try:
            rules = os.path.join(tmp, "rules")
            shutil.copytree(os.path.join(SOURCE, "rules"), rules)
            vocab = os.path.join(rules, "vocabulary.json")
            with open(vocab) as f:
                doc = json.load(f)
            doc["vocabulary"]["low_back_pain"]["codes"] = codes
            with open(vocab, "w") as f:
                json.dump(doc, f)
            return subprocess.run([BIN, "check", rules], stdout=subprocess.PIPE, stderr=subprocess.STDOUT).stdout.decode()
        finally:
            shutil.rmtree(tmp)

    def test_bad_codes_are_rejected_with_where(self):
        sct = "http://snomed.info/sct"
        for codes, want in (
            ("279039007", "'codes' must be an array"),
            ([{"code": "279039007"}], "missing required key 'system'"),
            ([{"system": "snomed", "code": "1"}], "must be an absolute URI"),
            ([{"system": sct, "code": "27 9"}], "must not hold white space"),
            ([{"system": sct, "code": "1"}, {"system": sct, "code": "1"}], "given twice"),
            ([{"system": sct, "code": "1", "version": "x"}], "version"),
        ):
            out = self.check(codes)
            self.assertIn(want, out, codes)
            self.assertIn("/vocabulary/low_back_pain/codes", out, codes)

    def test_good_codes_load(self):
        out = self.check([{"system": "http://snomed.info/sct", "code": "279039007", "display": "Low back pain (finding)"}])
        self.assertIn("carried tests passed", out)


class ClinicianTextTest(unittest.TestCase):
    """A rule's `clinician` text is the detail of its CDS Hooks card; without it, neutral wording."""

    def test_clinician_text_after_reload(self):
        import re
        tmp = tempfile.mkdtemp()
        try:
            rules = os.path.join(tmp, "rules")
            shutil.copytree(os.path.join(SOURCE, "rules"), rules)
            s = Server("--rules", rules)
            try:
                req = hook_request([fhir_condition("23056005"), fhir_condition("267064002")])
                _, body = s.json("POST", "/cds-services/symtri-triage", json.dumps(req))
                card = next(c for c in body["cards"] if c["summary"].startswith("Red flag: "))
                self.assertTrue(card["detail"].startswith("Red flag: "))
                rule = re.search(r"Rule `([a-z0-9_]+)`", card["detail"]).group(1)
                text = "Suspected cauda equina syndrome: same-day emergency MRI."
                for path in glob.glob(os.path.join(rules, "*.json")):
                    with open(path) as f:
                        doc = json.load(f)
                    hit = [r for r in doc.get("rules", []) if r.get("id") == rule]
                    if hit:
                        hit[0]["clinician"] = text
                        with open(path, "w") as f:
                            json.dump(doc, f)
                self.assertEqual(s.json("POST", "/v1/admin/reload")[0], 200)
                _, body = s.json("POST", "/cds-services/symtri-triage", json.dumps(req))
                self.assertEqual(cds_hooks_spec.response(body), [])
                card = next(c for c in body["cards"] if ("Rule `%s`" % rule) in c["detail"])
                self.assertTrue(card["detail"].startswith(text), card["detail"][:100])
            finally:
                self.assertEqual(s.stop(), 0)
        finally:
            shutil.rmtree(tmp)
