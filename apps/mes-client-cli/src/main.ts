import { run } from './cli';

// `npm run mes -- --definition <file> --name <item> GET 'api/v3/entity'` (see cli.ts USAGE).
void run(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
}).then((code) => {
  process.exitCode = code;
});
