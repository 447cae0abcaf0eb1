import type { ObjectValidator } from '../providers/file/index.js';
import { Validator } from '../validation/index.js';
import type { GatewayApiChannel } from './options.js';

/** The validator every command uses: the Gateway API CRD schemas and CEL rules of one channel. */
export function createValidator(channel: GatewayApiChannel): ObjectValidator {
  return new Validator({ channel });
}
