// The Node.js/Express equivalent of the gateway's GET pass-through (the stack this project replaced),
// measured by bench/run.sh beside the Helidon gateway: node proxy.js <port> <target base URL>
const express = require('express');
const http = require('http');

const [port, target] = process.argv.slice(2);
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
const app = express();

app.get('/*path', (req, res) => {
  const upstream = http.get(target + req.originalUrl, { agent, timeout: 10000 }, (answer) => {
    res.status(answer.statusCode);
    for (const [name, value] of Object.entries(answer.headers)) {
      if (!['connection', 'transfer-encoding', 'keep-alive'].includes(name)) res.setHeader(name, value);
    }
    answer.pipe(res);
  });
  upstream.on('error', () => res.status(503).json({ title: 'Service Unavailable', status: 503 }));
});

app.listen(Number(port), () => console.log(`express proxy on ${port} -> ${target}`));
