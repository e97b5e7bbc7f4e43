#!/usr/bin/env node
// Launcher: runs the TypeScript entry point through tsx (Node 20 cannot strip types itself).
import { register } from 'tsx/esm/api';

register();
await import('../src/bin/webfarm.ts');
