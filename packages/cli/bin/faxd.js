#!/usr/bin/env node
// The faxd command; the code is compiled to dist/ by the install step (npm prepare: tsc -b).
// V8 keeps the code it compiled on disk between starts, a quarter of a start's CPU (Node.js 22.1 and later; older ones
// start without it).
import module from 'node:module';

module.enableCompileCache?.();
await import('../dist/faxd.js');
