// The built-in plugins: the only place the core names plugin code. Deleting a folder means deleting its line here.
import type { Plugin } from '../contract.js';
import callout from '../../plugins/callout/index.js';
import chaos from '../../plugins/chaos/index.js';
import crud from '../../plugins/crud/index.js';
import graphql from '../../plugins/graphql/index.js';
import grpc from '../../plugins/grpc/index.js';
import openapi from '../../plugins/openapi/index.js';
import proxy from '../../plugins/proxy/index.js';
import rest from '../../plugins/rest/index.js';
import soap from '../../plugins/soap/index.js';
import state from '../../plugins/state/index.js';

export const BUILTIN_PLUGINS: readonly Plugin[] = [rest, state, crud, proxy, callout, chaos, openapi, graphql, soap, grpc];
