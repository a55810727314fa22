import {
  dtoProblems,
  occupiedBy,
  refuse,
  sourceTime,
  sourceUuid,
  writeEach,
  type ImportContext,
  type Importer,
  type ImportWork,
} from '../../platform/import/importer';
import { UUID } from '../../platform/http/validation';
import { addressPlan, checkNicAddress, MAC } from './nic-addresses';
import { NicState } from './nic.contract';
import { CreateNicDto } from './nic.dto';
import { NIC_STREAM, NicEntity } from './nic.entity';
import { NicCreated } from './nic.events';
import { toNicState } from './nic.view';

const NICS = 't_nic';

interface NicSourceRow {
  uuid: string;
  name: string;
  description: string | null;
  state: number;
  primary: number;
  user_uuid: string | null;
  subnet_uuid: string;
  mac: string;
  ip: string;
  created_at: string | null;
}

/**
 * ChimeStack's `t_nic` → NICs of the subnets the networks importer takes (their addresses in
 * `context.ids`, kind 'subnet'), checked as createNic checks an address asked for (of the subnet,
 * allowed, not held twice); MACs kept (lower case, unique). A NIC comes in attached to no VM
 * (state 1): which VM holds it is `r_vm_nic`, the compute module's to import.
 */
export const NICS_IMPORTER: Importer = {
  name: 'nics',
  after: ['networks', 'identity'],
  occupied: (manager) => occupiedBy(manager, NicEntity, 'network interfaces'),
  async plan(context: ImportContext): Promise<ImportWork> {
    const nics = await planNics(context);
    return writeEach(NICS, nics, async (tx, nic) => {
      await tx.manager.insert(NicEntity, nic);
      await tx.append({ type: NIC_STREAM, id: nic.uuid }, 0, [new NicCreated(toNicState(nic))]);
    });
  },
};

async function planNics(context: ImportContext): Promise<NicEntity[]> {
  const rows = await context.source.select<NicSourceRow>(NICS, [
    'uuid',
    'name',
    'description',
    'state',
    '`primary`',
    'user_uuid',
    'subnet_uuid',
    'mac',
    'ip',
    'created_at',
  ]);
  const held = new Map<string, string>();
  const macs = new Map<string, string>();
  const nics: NicEntity[] = [];
  for (const row of rows) {
    const uuid = sourceUuid(context, NICS, row.uuid);
    if (!uuid) continue;
    if (row.state === 4 || row.state === 5) {
      context.report.skip(NICS, uuid, `deleted in ChimeStack (state ${row.state})`);
      continue;
    }
    if (![0, 1, 2].includes(row.state)) {
      context.report.problem(NICS, uuid, `unknown state ${row.state}`);
      continue;
    }
    const subnet = context.ids.parent(context, { table: NICS, uuid }, 'subnet', row.subnet_uuid);
    if (!subnet) continue;
    const userUuid = (row.user_uuid ?? '').toLowerCase();
    if (!UUID.test(userUuid)) {
      context.report.problem(
        NICS,
        uuid,
        `user_uuid "${row.user_uuid}" is not a user's uuid (fix with --set ${NICS}:${uuid}.user_uuid=<uuid>)`,
      );
      continue;
    }
    if (!context.ids.get('user', userUuid)) {
      context.report.skip(NICS, uuid, `its user ${row.user_uuid} is not imported`);
      continue;
    }
    const subnetUuid = row.subnet_uuid.toLowerCase();
    const description = row.description ?? '';
    const problems = dtoProblems(CreateNicDto, { name: row.name, description, subnet_uuid: subnetUuid, ip: row.ip, primary: row.primary });
    let ip = row.ip;
    if (problems.length === 0) {
      try {
        ip = checkNicAddress(addressPlan({ cidr: subnet.cidr, gateway: subnet.gateway, reserved_ips: subnet.reserved_ips }), row.ip);
      } catch (error) {
        problems.push((error as Error).message);
      }
      const holder = held.get(`${subnetUuid}/${ip}`);
      if (holder) problems.push(`ip ${ip} is held by network interface ${holder} too`);
    }
    const mac = row.mac.toLowerCase();
    if (!MAC.test(mac)) problems.push(`mac "${row.mac}" is not a MAC address such as 52:54:00:6e:52:be`);
    else if (macs.has(mac)) problems.push(`mac ${mac} is network interface ${macs.get(mac)}'s too`);
    if (problems.length > 0) {
      refuse(context, NICS, uuid, problems, row.name);
      continue;
    }
    if (row.state !== NicState.Available) {
      context.report.notes.push(
        `${NICS} ${uuid}: ` +
          (row.state === 2
            ? 'in use in ChimeStack (state 2): comes in attached to no VM (state 1); attaching it is the compute import'
            : 'busy in ChimeStack (state 0): comes in available (state 1); nothing runs after an import'),
      );
    }
    held.set(`${subnetUuid}/${ip}`, uuid);
    macs.set(mac, uuid);
    nics.push({
      uuid,
      userUuid,
      name: row.name,
      description,
      subnetUuid,
      ip,
      mac,
      primary: row.primary === 1 ? 1 : 0,
      sgUuid: null,
      vmUuid: null,
      state: NicState.Available,
      operation: '',
      version: 1,
      createdAt: sourceTime(row.created_at, context),
    });
  }
  context.report.count(NICS, nics.length);
  return nics;
}
