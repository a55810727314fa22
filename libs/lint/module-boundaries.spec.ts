import { RuleTester } from 'eslint';
import tseslint from 'typescript-eslint';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const rule = require('./module-boundaries');

const tester = new RuleTester({ languageOptions: { parser: tseslint.parser as never, sourceType: 'module' } });
const at = (file: string) => `/repo/src/${file}`;

describe('chime/module-boundaries', () => {
  tester.run('module-boundaries', rule, {
    valid: [
      { filename: at('modules/clusters/commands/create-cluster.ts'), code: "import { AzPort } from '../../zones/az.port';" },
      {
        filename: at('modules/networks/network.consumer.ts'),
        code: "import { ClusterDeleted } from '../clusters/cluster.events';",
      },
      { filename: at('modules/clusters/clusters.module.ts'), code: "import { ClusterPort } from './cluster.port';" },
      { filename: at('modules/clusters/queries/get-cluster.ts'), code: "import { findCluster } from '../cluster.store';" },
      { filename: at('modules/zones/az.dto.ts'), code: "import { ListQuery } from '../../platform/http/list-query';" },
      { filename: at('modules.ts'), code: "import { ZonesModule } from './modules/zones/zones.module';" },
      { filename: at('platform/http/openapi.ts'), code: "import { DocumentBuilder } from '@nestjs/swagger';" },
    ],
    invalid: [
      {
        filename: at('modules/identity/queries/get-user-default.ts'),
        code: "import { findAz } from '../../zones/az.store';",
        errors: [{ messageId: 'reachIn' }],
      },
      {
        filename: at('modules/networks/network.entity.ts'),
        code: "import { ClusterEntity } from '../clusters/cluster.entity';",
        errors: [{ messageId: 'reachIn' }],
      },
      {
        filename: at('modules/events/event-streams.ts'),
        code: "export { Sessions } from '../identity/sessions';",
        errors: [{ messageId: 'reachIn' }],
      },
      {
        filename: at('modules/zones/zones.module.ts'),
        code: "import { CreateClusterHandler } from '../clusters/commands/create-cluster';",
        errors: [{ messageId: 'reachIn' }],
      },
      {
        filename: at('platform/http/validation.ts'),
        code: "import { MinRole } from '../../modules/identity/roles';",
        errors: [{ messageId: 'platformToModule' }],
      },
    ],
  });
});
