// Writes dist/help.json: the help text of the program and of each command, produced by commander
// from the real program definition, so bin/outage.js can print it without loading commander.
import { writeFileSync } from 'node:fs';
import { buildProgram } from '../dist/cli.js';

const program = buildProgram();
const texts = { '': program.helpInformation() };
for (const command of program.commands) texts[command.name()] = command.helpInformation();
writeFileSync(new URL('../dist/help.json', import.meta.url), `${JSON.stringify(texts, null, 2)}\n`);
