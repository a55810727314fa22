import { applyDecorators, UseGuards } from '@nestjs/common';
import { describeSecurityScheme } from '../../platform/http/openapi';
import { SecuredBy } from '../../platform/http/public.decorator';
import { AgentGuard } from './agent.guard';
export { CurrentAgent, type AgentCaller } from './agent.guard';

const AGENT_SCHEME = 'agentCredential';

describeSecurityScheme(AGENT_SCHEME, {
  type: 'http',
  scheme: 'bearer',
  bearerFormat: 'opaque',
  description: "a node agent's credential from `POST /v1/agent/enrol`; revoked by deleteHost and by enrolling again",
});

/**
 * A route for node agents only: their credential, checked by AgentGuard, instead of a user's token.
 * The hosts module's export for modules whose work needs an agent to ask the server something (a
 * console ticket redeemed); `@CurrentAgent()` is the calling node.
 */
export const ForAgents = () => applyDecorators(SecuredBy(AGENT_SCHEME), UseGuards(AgentGuard));
