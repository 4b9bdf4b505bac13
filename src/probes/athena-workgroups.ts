import type { Probe } from './types.js';

export const athenaWorkgroups: Probe = {
  id: 'athena-workgroups',
  service: 'athena',
  actions: ['athena:ListWorkGroups'],
  informs: ['query-history'],
  resources: { 'athena:ListWorkGroups': 'any-resource' },
  roles: { 'query-history': { extended: ['athena:ListWorkGroups'] } },
  async run(context) {
    const page = await context.send('athena:ListWorkGroups', 'ListWorkGroupsCommand', { MaxResults: 10 });
    return `${page.WorkGroups?.length ?? 0} workgroups on the first page`;
  },
};
