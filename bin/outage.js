#!/usr/bin/env node
// Thin shim so the installed command runs the compiled CLI; all logic lives in src/cli.ts.
import { main } from '../dist/cli.js';

main(process.argv);
