// SPDX-License-Identifier: Apache-2.0
// Node runners for bench/peers/run.py: json-rules-engine, json-logic-js and GoRules ZEN (zen-engine) on
// the same workload.
//
//   node peers.js json-rules-engine|json-logic-js|zen-engine DIR N
//
// JSON in -> JSON out for each case: JSON.parse the case's facts, run the engine, JSON.stringify the
// matches. Same timing loop as timing.hpp: a warm-up pass, then passes until PEERS_MIN_PASSES (5) and
// PEERS_MIN_SECONDS (1) are both reached, or PEERS_MAX_PASSES. Prints one JSON line. Times are CPU time.
'use strict';
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const { Engine } = require('json-rules-engine');
const jsonLogic = require('json-logic-js');
// @gorules/zen-engine is required only when asked for: its native binary exists for a few platforms.

const [engineName, dir, nArg] = process.argv.slice(2);
const n = nArg; // a rule count, or "shipped" (bench/peers/shipped.py)
const minPasses = Number(process.env.PEERS_MIN_PASSES || 5);
const maxPasses = Number(process.env.PEERS_MAX_PASSES || 1000);
const minSeconds = Number(process.env.PEERS_MIN_SECONDS || 1);

const lines = fs.readFileSync(path.join(dir, `facts-${n}.jsonl`), 'utf8').split('\n').filter((l) => l.length);
const matches = lines.map(() => []);
let outBytes = 0;

function digest() {
  let text = '';
  let total = 0;
  matches.forEach((m, i) => {
    const ks = m.slice().sort((a, b) => a - b);
    total += ks.length;
    text += `${i}:${ks.join(',')}\n`;
  });
  return { digest: crypto.createHash('sha256').update(text).digest('hex'), total };
}

function median(v) {
  const s = v.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

// CPU time of the whole process (every thread: JIT and GC work counts), as timing.hpp; wall time too.
const wallUs = [];
function cpuUs() {
  const u = process.cpuUsage();
  return u.user + u.system;
}

async function timePasses(pass) {
  await pass(); // warm-up (and JIT)
  const us = [];
  const start = process.hrtime.bigint();
  while (us.length < maxPasses) {
    const c0 = cpuUs();
    const t0 = process.hrtime.bigint();
    await pass();
    const t1 = process.hrtime.bigint();
    const c1 = cpuUs();
    us.push((c1 - c0) / lines.length);
    wallUs.push(Number(t1 - t0) / 1000 / lines.length);
    if (us.length >= minPasses && Number(t1 - start) / 1e9 >= minSeconds) break;
  }
  return us;
}

async function main() {
  const t0 = process.hrtime.bigint();
  let pass;
  if (engineName === 'json-rules-engine') {
    const spec = JSON.parse(fs.readFileSync(path.join(dir, `jre-rules-${n}.json`), 'utf8'));
    let engine;
    let index = (type) => Number(type.slice(1)); // "r<k>" -> k
    if (Array.isArray(spec)) {
      engine = new Engine(spec, { allowUndefinedFacts: false });
    } else {
      // The shipped rule set: named conditions, and attribute facts that absent findings leave undefined.
      engine = new Engine([], { allowUndefinedFacts: true });
      for (const [name, cond] of Object.entries(spec.conditions)) engine.setCondition(name, cond);
      for (const r of spec.rules) engine.addRule(r);
      const ids = JSON.parse(fs.readFileSync(path.join(dir, `rule-ids-${n}.json`), 'utf8'));
      const pos = new Map(ids.map((id, k) => [id, k]));
      index = (type) => pos.get(type);
    }
    pass = async () => {
      outBytes = 0;
      for (let i = 0; i < lines.length; i++) {
        const facts = JSON.parse(lines[i]);
        const { events } = await engine.run(facts);
        const out = JSON.stringify(events.map((e) => e.type));
        outBytes += out.length;
        matches[i] = events.map((e) => index(e.type));
      }
    };
  } else if (engineName === 'json-logic-js') {
    const rules = JSON.parse(fs.readFileSync(path.join(dir, `jsonlogic-rules-${n}.json`), 'utf8'));
    pass = async () => {
      outBytes = 0;
      for (let i = 0; i < lines.length; i++) {
        const facts = JSON.parse(lines[i]);
        const m = [];
        for (let k = 0; k < rules.length; k++) if (jsonLogic.truthy(jsonLogic.apply(rules[k], facts))) m.push(k);
        const out = JSON.stringify(m);
        outBytes += out.length;
        matches[i] = m;
      }
    };
  } else if (engineName === 'zen-engine') {
    // One JDM decision (zen-rules-N.json: workload.py, shipped.py): request -> a decision table with hit
    // policy "collect", one row per rule, output {r: <rule id>} -> response. Each case: JSON.parse the
    // facts, await decision.evaluate(facts) (the Rust core, through the N-API binding; its work runs on a
    // libuv worker thread, whose CPU time process.cpuUsage() counts), JSON.stringify the rule ids.
    const { ZenEngine } = require('@gorules/zen-engine');
    const content = fs.readFileSync(path.join(dir, `zen-rules-${n}.json`));
    const decision = new ZenEngine().createDecision(content);
    let index = (id) => Number(id.slice(1)); // "r<k>" -> k
    if (n === 'shipped') {
      const ids = JSON.parse(fs.readFileSync(path.join(dir, `rule-ids-${n}.json`), 'utf8'));
      const pos = new Map(ids.map((id, k) => [id, k]));
      index = (id) => pos.get(id);
    } else {
      // json-rules-engine runs these with allowUndefinedFacts: false (a missing fact is an error); ZEN has no
      // such switch (a missing fact is null, and a row whose test errs on it is skipped), so the same
      // precondition is checked here, once, before any timing: every case gives every fact of the table.
      const table = JSON.parse(content).nodes.find((x) => x.type === 'decisionTableNode').content;
      for (const l of lines) {
        const facts = JSON.parse(l);
        for (const c of table.inputs) {
          if (!(c.field in facts)) throw new Error(`a case does not give the fact ${c.field}`);
        }
      }
    }
    pass = async () => {
      outBytes = 0;
      for (let i = 0; i < lines.length; i++) {
        const facts = JSON.parse(lines[i]);
        const { result } = await decision.evaluate(facts);
        const out = JSON.stringify(result.map((x) => x.r));
        outBytes += out.length;
        matches[i] = result.map((x) => index(x.r));
      }
    };
  } else {
    console.error('usage: node peers.js json-rules-engine|json-logic-js|zen-engine DIR N');
    process.exit(2);
  }
  const loadMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const us = await timePasses(pass);
  const d = digest();
  console.log(JSON.stringify({
    engine: engineName, n, cases: lines.length, load_ms: loadMs, median_us: median(us), median_wall_us: median(wallUs),
    passes: us.length,
    us_per_case: us, digest: d.digest, total_matches: d.total, out_bytes_per_case: Math.floor(outBytes / lines.length),
  }));
}

main().catch((e) => { console.error(e); process.exit(1); });
