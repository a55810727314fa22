import { State } from '@chime/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

export const AZ_STREAM = 'az';

@Entity({ name: 'availability_zones' })
export class AzEntity {
  @PrimaryColumn('uuid')
  uuid!: string;

  /** Unique regardless of case (index availability_zones_name_key on lower(name)). */
  @Column('text')
  name!: string;

  @Column('text')
  description!: string;

  @Column('text')
  parent!: string;

  @Column('smallint')
  state!: State;

  /** Version of the AZ's event stream. */
  @Column('integer')
  version!: number;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;
}
