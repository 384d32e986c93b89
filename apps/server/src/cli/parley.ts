#!/usr/bin/env node
import { runParley } from './program.ts';

// `parley <command>`: `pnpm parley --help` in the repository, or the built dist/parley.js.
await runParley();
