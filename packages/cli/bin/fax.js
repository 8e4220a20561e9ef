#!/usr/bin/env node
// The fax command; the code is compiled to dist/ by the install step (npm prepare: tsc -b).
import '../dist/fax.js';
