#!/usr/bin/env node
// Entry point of the `portico` command (bin/portico.js imports the compiled form of this file).
import { processIO } from './io.js';
import { main } from './program.js';

process.exitCode = await main(process.argv.slice(2), processIO());
