import type { OperationLogView } from '@chime/contracts';
import type { OperationLogEntity } from './operation-log.entity';

// The view is a contract type now; re-exported for this module's files that import it from here.
export type { OperationLogView };

export function toOperationLogView(entry: OperationLogEntity): OperationLogView {
  return {
    id: Number(entry.id),
    created_at: entry.createdAt.toISOString(),
    method: entry.method,
    path: entry.path,
    input: entry.input,
    ip: entry.ip,
    user_uuid: entry.userUuid,
    user_name: entry.userName,
    request_id: entry.requestId,
    outcome: entry.outcome,
  };
}
