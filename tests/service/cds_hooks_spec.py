# SPDX-License-Identifier: Apache-2.0
"""The rules CDS Hooks 2.0 (https://cds-hooks.hl7.org/2.0/) states for discovery, requests, responses,
cards and feedback, as checks: each returns a list of problems (empty when the value conforms)."""
import re
from urllib.parse import urlparse

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def discovery(doc):
    p = []
    if not isinstance(doc, dict) or not isinstance(doc.get("services"), list):
        return ["discovery: 'services' (array) is required"]
    for i, s in enumerate(doc["services"]):
        at = "services[%d]" % i
        for key in ("hook", "description", "id"):  # REQUIRED
            if not isinstance(s.get(key), str) or not s[key]:
                p.append("%s.%s is required (string)" % (at, key))
        if "title" in s and not isinstance(s["title"], str):
            p.append(at + ".title must be a string")
        if "prefetch" in s:
            if not isinstance(s["prefetch"], dict) or not all(isinstance(v, str) for v in s["prefetch"].values()):
                p.append(at + ".prefetch must be an object of strings (FHIR queries)")
        if "usageRequirements" in s and not isinstance(s["usageRequirements"], str):
            p.append(at + ".usageRequirements must be a string")
    return p


def card(c, at):
    p = []
    if "uuid" in c and (not isinstance(c["uuid"], str) or not UUID.match(c["uuid"])):
        p.append(at + ".uuid must be a UUID string")
    s = c.get("summary")
    if not isinstance(s, str) or not s:
        p.append(at + ".summary is required (string)")
    elif len(s) >= 140:  # "<140-character summary message"
        p.append(at + ".summary must be under 140 characters, has %d" % len(s))
    if "detail" in c and not isinstance(c["detail"], str):
        p.append(at + ".detail must be a string (markdown)")
    if c.get("indicator") not in ("info", "warning", "critical"):
        p.append(at + ".indicator must be info, warning or critical, got %r" % c.get("indicator"))
    src = c.get("source")
    if not isinstance(src, dict) or not isinstance(src.get("label"), str) or not src["label"]:
        p.append(at + ".source.label is required (string)")
    else:
        for key in ("url", "icon"):
            if key in src and not absolute_url(src[key]):
                p.append(at + ".source.%s must be an absolute URL" % key)
        if "topic" in src and not isinstance(src["topic"], dict):
            p.append(at + ".source.topic must be a Coding")
    if "suggestions" in c:
        if not isinstance(c["suggestions"], list):
            p.append(at + ".suggestions must be an array")
        elif c["suggestions"] and c.get("selectionBehavior") not in ("at-most-one", "any"):
            p.append(at + ".selectionBehavior is required with suggestions (at-most-one | any)")
    if "overrideReasons" in c and not isinstance(c["overrideReasons"], list):
        p.append(at + ".overrideReasons must be an array of Codings")
    if "links" in c:
        if not isinstance(c["links"], list):
            p.append(at + ".links must be an array")
        else:
            for j, l in enumerate(c["links"]):
                la = "%s.links[%d]" % (at, j)
                if not isinstance(l.get("label"), str) or not l["label"]:
                    p.append(la + ".label is required")
                if l.get("type") not in ("absolute", "smart"):
                    p.append(la + ".type must be absolute or smart")
                if not isinstance(l.get("url"), str) or not l["url"]:
                    p.append(la + ".url is required")
                elif l.get("type") == "absolute" and not absolute_url(l["url"]):
                    p.append(la + ".url must be an absolute URL for type absolute")
                if "appContext" in l and (l.get("type") != "smart" or not isinstance(l["appContext"], str)):
                    p.append(la + ".appContext is only for smart links, and a string")
    return p


def response(doc):
    if not isinstance(doc, dict) or not isinstance(doc.get("cards"), list):
        return ["response: 'cards' (array) is required"]
    p = []
    for i, c in enumerate(doc["cards"]):
        if not isinstance(c, dict):
            p.append("cards[%d] must be an object" % i)
            continue
        p += card(c, "cards[%d]" % i)
    uuids = [c.get("uuid") for c in doc["cards"] if isinstance(c, dict) and "uuid" in c]
    if len(uuids) != len(set(uuids)):
        p.append("card uuids must be unique")
    if "systemActions" in doc and not isinstance(doc["systemActions"], list):
        p.append("systemActions must be an array")
    return p


def absolute_url(u):
    if not isinstance(u, str):
        return False
    parsed = urlparse(u)
    return parsed.scheme in ("http", "https") and bool(parsed.netloc)
