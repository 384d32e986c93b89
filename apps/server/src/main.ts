import { runParley } from './cli/program.ts';

// `npm start` runs the built main.js: the same start as `parley serve`.
await runParley([process.argv[0]!, process.argv[1]!, 'serve']);
