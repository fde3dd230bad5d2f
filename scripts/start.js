#!/usr/bin/env node
// `npm start`: the built API, plus the development token authority when AIM_AUTHORITY is unset.
// A development authority already running on AIM_DEV_PORT (e.g. started by another API instance)
// is reused. The authority stops with the API.
'use strict';
const { spawn } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const devPort = process.env.AIM_DEV_PORT || '5000';
const issuer = `http://127.0.0.1:${devPort}/identitymanager`;

async function discoveryAnswers() {
  try {
    const res = await fetch(`${issuer}/.well-known/openid-configuration`, {
      signal: AbortSignal.timeout(1000),
    });
    return res.ok;
  } catch {
    return false;
  }
}

async function startDevAuthority() {
  if (await discoveryAnswers()) {
    console.log(`Using the development authority already running at ${issuer}`);
    return undefined;
  }
  const child = spawn(process.execPath, [path.join(root, 'apps/aim-dev-authority/src/main.mjs')], {
    cwd: root,
    env: { ...process.env, AIM_DEV_PORT: devPort },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  let exited = false;
  child.on('exit', (code) => {
    exited = true;
    if (code) console.error(`The development authority exited with code ${code}.`);
  });
  const deadline = Date.now() + 20000;
  while (Date.now() < deadline) {
    if (exited)
      throw new Error(
        `the development authority did not start (is port ${devPort} in use? set AIM_DEV_PORT)`,
      );
    if (await discoveryAnswers()) return child;
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill('SIGTERM');
  throw new Error(`the development authority did not answer at ${issuer} within 20 s`);
}

async function main() {
  let child;
  if (!process.env.AIM_AUTHORITY || !process.env.AIM_AUTHORITY.trim()) {
    child = await startDevAuthority();
  }
  if (child) {
    process.on('exit', () => child.kill('SIGTERM'));
  }
  require(path.join(root, 'dist/apps/mes-web-api/src/main.js'));
}

main().catch((error) => {
  console.error(`mes-web-api: cannot start: ${error.message}`);
  process.exit(1);
});
