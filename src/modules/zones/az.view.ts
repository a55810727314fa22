import type { AzView } from '@chime/contracts';
import type { AzEntity } from './az.entity';

export function toAzView(az: AzEntity): AzView {
  return {
    uuid: az.uuid,
    name: az.name,
    description: az.description,
    parent: az.parent,
    state: az.state,
    created_at: az.createdAt.toISOString(),
  };
}
