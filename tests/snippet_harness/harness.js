// Runs the Node.js snippet over every vector: argv = snippet, base URL, app id.
// stdin: id TAB hex(sbs) TAB hex(ranstr) TAB hex(secret) TAB hex(chat id), a line each;
// stdout: id TAB sbs_mm TAB link.
'use strict';
const kit = require(process.argv[2]);
const [base, app] = process.argv.slice(3);
const text = (hex) => Buffer.from(hex, 'hex').toString('utf8');
const out = require('fs').readFileSync(0, 'utf8').split('\n').filter(Boolean).map((line) => {
  const [id, ...fields] = line.split('\t');
  const [sbs, ranstr, secret, chat] = fields.map(text);
  return [id, kit.signDirectLink(sbs, ranstr, secret),
    kit.buildDirectLink(base, app, chat, sbs, ranstr, secret)].join('\t');
});
process.stdout.write(out.join('\n') + '\n');
