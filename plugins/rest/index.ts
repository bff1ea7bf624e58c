// The REST plugin: path, header, body and body_param conditions; mock and weighted actions.
import { CONTRACT_VERSION, definePlugin } from '../../core/contract.js';
import { bodyParamCondition } from './conditions/body-param.js';
import { bodyCondition } from './conditions/body.js';
import { headerCondition } from './conditions/header.js';
import { pathCondition } from './conditions/path.js';
import { mockAction } from './actions/mock.js';
import { weightedAction } from './actions/weighted.js';

export default definePlugin({
  name: 'rest',
  contract: CONTRACT_VERSION,
  conditions: [pathCondition, headerCondition, bodyCondition, bodyParamCondition],
  actions: [mockAction, weightedAction],
});
