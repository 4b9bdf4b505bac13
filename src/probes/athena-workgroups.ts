import { CONNECTION_GATE } from './support.js';
import type { ProbeDefinition } from './types.js';

export const athenaWorkgroups: ProbeDefinition = {
  id: 'athena-workgroups',
  service: 'athena',
  actions: ['athena:ListWorkGroups'],
  informs: ['query-history'],
  dependsOn: CONNECTION_GATE,
  async run(context) {
    const { ListWorkGroupsCommand } = await context.sdk('athena');
    const athena = await context.client('athena');
    const page = await context.call('athena:ListWorkGroups', (abortSignal) => athena.send(new ListWorkGroupsCommand({ MaxResults: 10 }), { abortSignal }));
    return `${page.WorkGroups?.length ?? 0} workgroups on the first page`;
  },
};
