// SPDX-License-Identifier: Apache-2.0
// json-rules-engine behind Node's own http server, the peer of `symtri serve` in bench/service/run.sh.
//
//   node node_http_server.js DIR PORT
//
// DIR holds jre-rules-shipped.json (bench/peers/shipped.py: the shipped rule set translated for
// json-rules-engine). Each POST: JSON.parse the body (flat facts), engine.run, answer the fired rules'
// ids as JSON. One Node process (Node runs JavaScript on one thread), as a Node service would run.
'use strict';
const fs = require('fs');
const http = require('http');
const path = require('path');
const { Engine } = require('json-rules-engine');

const [dir, port] = process.argv.slice(2);
const spec = JSON.parse(fs.readFileSync(path.join(dir, 'jre-rules-shipped.json'), 'utf8'));
const engine = new Engine([], { allowUndefinedFacts: true });
for (const [name, cond] of Object.entries(spec.conditions)) engine.setCondition(name, cond);
for (const r of spec.rules) engine.addRule(r);

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', async () => {
    try {
      const facts = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      const { events } = await engine.run(facts);
      const body = JSON.stringify({ fired: events.map((e) => e.type) });
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
    } catch (e) {
      res.writeHead(400, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error: String(e.message) }));
    }
  });
});
server.keepAliveTimeout = 60000;
server.listen(Number(port), '127.0.0.1', () => console.log(JSON.stringify({ event: 'listening', port: server.address().port })));
