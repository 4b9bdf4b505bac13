// A plugin whose decorators, hooks and routes belong to the app itself, not to a child context:
// what fastify-plugin does, by the property Fastify documents for it (no dependency for 3 lines).
import type { FastifyPluginAsync, FastifyPluginOptions } from 'fastify';

export function appWide<Options extends FastifyPluginOptions>(plugin: FastifyPluginAsync<Options>): FastifyPluginAsync<Options> {
  return Object.assign(plugin, { [Symbol.for('skip-override')]: true });
}
