import { createHash, randomBytes } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork, type Origin } from '@chime/event-log';
import { LessThan } from 'typeorm';
import { AppConfig } from '../../../platform/config/app-config';
import { NotFoundError } from '../../../platform/errors/domain-error';
import type { Actor } from '../../../platform/http/request-context';
import { HostPort } from '../../hosts/host.port';
import { VmState, type VmVncView } from '../compute.contract';
import { VmVncTicketEntity } from '../vm.entity';
import { visibleVm } from '../vm.store';
import { assertVmState } from '../vm-tasks';

/** The console port a host's agent gives a VM when it reports none (libvirt's first VNC display). */
const DEFAULT_VNC_PORT = 5900;

const hashTicket = (ticket: string) => createHash('sha256').update(ticket).digest('hex');

export class IssueVncTicketCommand extends Command<VmVncView> {
  constructor(
    readonly origin: Origin,
    readonly actor: Actor,
    readonly vmUuid: string,
  ) {
    super();
  }
}

/**
 * getVmVnc: a one-time ticket for a running VM's console (ChimeStack answers an address and a
 * ticket). Anyone who may see the VM may look at its console, read-only administrators included.
 * Only the ticket's hash is kept; expired tickets are swept when new ones are issued.
 */
@CommandHandler(IssueVncTicketCommand)
export class IssueVncTicketHandler implements ICommandHandler<IssueVncTicketCommand> {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly hosts: HostPort,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  execute({ origin, actor, vmUuid }: IssueVncTicketCommand): Promise<VmVncView> {
    return this.uow.run(origin, async (tx) => {
      const vm = await visibleVm(tx.manager, actor, vmUuid);
      assertVmState(vm, [VmState.Running], 'looked at: its console is there only while it runs');
      const host = (await this.hosts.summaries([vm.hostUuid], tx.manager)).get(vm.hostUuid);
      const now = new Date();
      await tx.manager.delete(VmVncTicketEntity, { expiresAt: LessThan(now) });
      const ticket = randomBytes(24).toString('base64url');
      const expiresAt = new Date(now.getTime() + this.config.CHIME_VNC_TICKET_TTL * 1000);
      await tx.manager.insert(VmVncTicketEntity, {
        ticketHash: hashTicket(ticket),
        vmUuid: vm.uuid,
        userUuid: actor.uuid,
        expiresAt,
        usedAt: null,
      });
      return {
        host: host?.manage_ip ?? '',
        port: vm.vncPort || DEFAULT_VNC_PORT,
        ticket,
        expires_at: expiresAt.toISOString(),
      };
    });
  }
}

export class RedeemVncTicketCommand extends Command<{ vm_uuid: string; port: number }> {
  constructor(
    readonly origin: Origin,
    readonly clientUuid: string,
    readonly ticket: string,
  ) {
    super();
  }
}

/**
 * A host's console proxy redeems a ticket through its agent, once: the ticket must be unexpired,
 * unused, and for a VM on that host. Anything else is "not found" (nothing told about others' VMs).
 */
@CommandHandler(RedeemVncTicketCommand)
export class RedeemVncTicketHandler implements ICommandHandler<RedeemVncTicketCommand> {
  constructor(private readonly uow: UnitOfWork) {}

  execute({ origin, clientUuid, ticket }: RedeemVncTicketCommand): Promise<{ vm_uuid: string; port: number }> {
    return this.uow.run(origin, async (tx) => {
      const [row]: { vm_uuid: string; vnc_port: number }[][] = await tx.manager.query(
        `UPDATE vm_vnc_tickets t SET used_at = now()
           FROM vms v
          WHERE t.ticket_hash = $1 AND t.used_at IS NULL AND t.expires_at > now()
            AND v.uuid = t.vm_uuid AND v.host_uuid = $2 AND v.state = ${VmState.Running}
         RETURNING t.vm_uuid, v.vnc_port`,
        [hashTicket(ticket), clientUuid],
      );
      const redeemed = row[0];
      if (!redeemed) throw new NotFoundError('no such console ticket: unknown, used, expired, or not for a VM on this host');
      return { vm_uuid: redeemed.vm_uuid, port: redeemed.vnc_port || DEFAULT_VNC_PORT };
    });
  }
}
