import { NamedResourceSchema } from '../../platform/http/resource-fields';
import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { State, type AzView } from '@chime/contracts';
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

/** The wire shape of an availability zone, for the OpenAPI document. */
@ApiSchema({ name: 'Az' })
export class AzViewSchema extends NamedResourceSchema implements AzView {
  @ApiProperty({ maxLength: 64, description: 'as given on create; "" when none' })
  parent!: string;

  @ApiProperty({ enum: [State.Disabled, State.Enabled], description: '1 enabled, 0 disabled' })
  state!: State;
}
