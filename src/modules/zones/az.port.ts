import { Injectable } from '@nestjs/common';
import { State } from '@chime/contracts';
import { DataSource, EntityManager } from 'typeorm';
import { FailedPreconditionError } from '../../platform/errors/domain-error';
import { findAz, lockAz } from './az.store';

export interface AzSummary {
  uuid: string;
  name: string;
  state: State;
}

/** What other modules may know of availability zones: the zones module's only export. */
@Injectable()
export class AzPort {
  constructor(private readonly dataSource: DataSource) {}

  /** 404 when the AZ does not exist. */
  async get(uuid: string, manager: EntityManager = this.dataSource.manager): Promise<AzSummary> {
    const az = await findAz(manager, uuid);
    return { uuid: az.uuid, name: az.name, state: az.state };
  }

  /**
   * Within a transaction that adds something to an AZ: locks the AZ until the commit (so that
   * additions to one AZ take turns and its limits hold, and it cannot be deleted meanwhile).
   * 404 when it does not exist, 400 FAILED_PRECONDITION when it is disabled.
   */
  async lockForAddition(manager: EntityManager, uuid: string): Promise<AzSummary> {
    const az = await lockAz(manager, uuid);
    if (az.state !== State.Enabled) {
      throw new FailedPreconditionError(`availability zone ${uuid} is disabled and accepts no new clusters`);
    }
    return { uuid: az.uuid, name: az.name, state: az.state };
  }
}
