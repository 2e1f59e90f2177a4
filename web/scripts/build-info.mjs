// Records a hash of the page's sources in dist/build-info.json; tests/test_web.py recomputes it
// to check that the committed dist was built from the committed sources.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const web = fileURLToPath(new URL('..', import.meta.url));
const dist = join(web, '..', 'rightsgraph', 'web', 'dist');

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

// the same list and order as tests/test_web.py: SOURCES
const files = ['index.html', 'vite.config.js', 'package.json', 'package-lock.json', 'scripts/build-info.mjs']
  .map((f) => join(web, f))
  .concat(walk(join(web, 'src')));
const names = files.map((f) => relative(web, f).split(sep).join('/')).sort();
const hash = createHash('sha256');
for (const name of names) {
  hash.update(name + '\0');
  hash.update(readFileSync(join(web, name)));
  hash.update('\0');
}
const info = { sources_sha256: hash.digest('hex'), files: names };
writeFileSync(join(dist, 'build-info.json'), JSON.stringify(info, null, 2) + '\n');
console.log(`build-info.json: ${info.sources_sha256}`);
