import type { OperationLogEntity, Outcome } from './operation-log.entity';

export interface OperationLogView {
  id: number;
  created_at: string;
  method: string;
  path: string;
  input: string;
  ip: string;
  user_uuid: string | null;
  user_name: string | null;
  request_id: string;
  outcome: Outcome;
}

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
