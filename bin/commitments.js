#!/usr/bin/env node
/* global process */
import { main } from '../dist/src/cli/main.js';

await main(process.argv);
