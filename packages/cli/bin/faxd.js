#!/usr/bin/env node
// The faxd command; the code is compiled to dist/ by the install step (npm prepare: tsc -b).
import '../dist/faxd.js';
