// The built-in plugins: the only place the core names plugin code. Deleting a folder means deleting its line here.
import type { Plugin } from '../contract.js';
import crud from '../../plugins/crud/index.js';
import rest from '../../plugins/rest/index.js';
import state from '../../plugins/state/index.js';

export const BUILTIN_PLUGINS: readonly Plugin[] = [rest, state, crud];
