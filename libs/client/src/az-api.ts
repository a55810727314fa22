import type {
  AzSortField,
  AzView,
  CreateAzRequest,
  ListAzFilters,
  ListQuery,
  ListResult,
  UpdateAzRequest,
} from '@chime/contracts';
import type { Operation, OperationCaller } from './operation';

/** The `az` category (API.md §4.1); the pattern is described in user-api.ts. */
export const AZ_OPERATIONS = {
  listAz: { method: 'GET', path: '/v1/az' },
  createAz: { method: 'POST', path: '/v1/az' },
  getAz: { method: 'GET', path: '/v1/az/{AzUuid}' },
  updateAz: { method: 'PATCH', path: '/v1/az/{AzUuid}' },
  deleteAz: { method: 'DELETE', path: '/v1/az/{AzUuid}' },
  enableAz: { method: 'PUT', path: '/v1/az/{AzUuid}/enable' },
  disableAz: { method: 'PUT', path: '/v1/az/{AzUuid}/disable' },
} as const satisfies Record<string, Operation>;

export class AzApi {
  constructor(private readonly client: OperationCaller) {}

  listAz(query: ListAzFilters & ListQuery<AzSortField> = {}): Promise<ListResult<AzView>> {
    return this.client.call(AZ_OPERATIONS.listAz, { query });
  }

  createAz(body: CreateAzRequest): Promise<{ az: AzView }> {
    return this.client.call(AZ_OPERATIONS.createAz, { body });
  }

  getAz(AzUuid: string): Promise<{ az: AzView }> {
    return this.client.call(AZ_OPERATIONS.getAz, { pathParams: { AzUuid } });
  }

  updateAz(AzUuid: string, body: UpdateAzRequest): Promise<{ az: 'ok' }> {
    return this.client.call(AZ_OPERATIONS.updateAz, { pathParams: { AzUuid }, body });
  }

  /** 400 FAILED_PRECONDITION while the AZ holds clusters. */
  deleteAz(AzUuid: string): Promise<1> {
    return this.client.call(AZ_OPERATIONS.deleteAz, { pathParams: { AzUuid } });
  }

  enableAz(AzUuid: string): Promise<{ az: 'ok' }> {
    return this.client.call(AZ_OPERATIONS.enableAz, { pathParams: { AzUuid } });
  }

  disableAz(AzUuid: string): Promise<{ az: 'ok' }> {
    return this.client.call(AZ_OPERATIONS.disableAz, { pathParams: { AzUuid } });
  }
}
