import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { OperatedResourceSchema } from '../../platform/http/resource-fields';
import { TaskViewSchema, type TaskView } from '../hosts/task.port';
import { NicViewSchema, type NicView } from '../networks/nic.port';
import { VolumeViewSchema, type VolumeView } from '../storage/storage.port';
import { VM_STATES, type VmState, type VmStatisticView, type VmView, type VmVncView } from './compute.contract';

const COUNT = { type: 'integer', minimum: 0 } as const;

@ApiSchema({ name: 'Vm' })
export class VmViewSchema extends OperatedResourceSchema implements VmView {
  @ApiProperty({ format: 'uuid', description: 'the owner' })
  user_uuid!: string;

  @ApiProperty({ format: 'uuid' })
  az_uuid!: string;

  @ApiProperty({ format: 'uuid' })
  cluster_uuid!: string;

  @ApiProperty({ format: 'uuid', description: 'the host it runs on' })
  host_uuid!: string;

  @ApiProperty({ description: 'the host\'s name; "" once the host is gone' })
  host_name!: string;

  @ApiProperty({ description: "the host's management address" })
  host_ip!: string;

  @ApiProperty({ format: 'uuid' })
  instance_spec_uuid!: string;

  @ApiProperty({ type: 'integer', minimum: 1 })
  vcpus!: number;

  @ApiProperty({ type: 'integer', format: 'int64', minimum: 1, description: 'bytes' })
  memory!: number;

  @ApiProperty({ enum: [...VM_STATES], description: '0 unavailable (being created), 1 running, 4 stopped, 10 failed' })
  state!: VmState;

  @ApiProperty({ description: 'the image of its root volume; "" for none' })
  image_name!: string;

  @ApiProperty({ description: '`bios`' })
  boot_type!: string;

  @ApiProperty({ description: '`kvm`' })
  hyper_type!: string;

  @ApiProperty({ description: 'as its agent reports it; "" until then' })
  os_type!: string;

  @ApiProperty()
  os_arch!: string;

  @ApiProperty()
  os_detail!: string;

  @ApiProperty({ enum: [0] })
  spec_type!: number;

  @ApiProperty({ type: String, nullable: true, enum: [null], description: 'always null (ChimeStack has no VM tags)' })
  tags!: null;

  @ApiProperty({ type: [NicViewSchema], description: 'its network interfaces (describeVm); empty in lists' })
  nics!: NicView[];

  @ApiProperty({ type: [VolumeViewSchema], description: 'its volumes, the root first (describeVm); empty in lists' })
  volumes!: VolumeView[];

  @ApiProperty({ type: [TaskViewSchema], description: 'its latest tasks (describeVm); empty in lists' })
  tasks!: TaskView[];
}

@ApiSchema({ name: 'VmStatistic' })
export class VmStatisticSchema implements VmStatisticView {
  @ApiProperty(COUNT)
  total!: number;

  @ApiProperty(COUNT)
  running!: number;

  @ApiProperty(COUNT)
  stopped!: number;

  @ApiProperty(COUNT)
  unavailable!: number;

  @ApiProperty(COUNT)
  failed!: number;

  @ApiProperty({ ...COUNT, description: 'vCPUs the VMs claim (failed ones claim nothing)' })
  vcpus!: number;

  @ApiProperty({ type: 'integer', format: 'int64', minimum: 0, description: 'bytes of memory the VMs claim' })
  memory!: number;
}

@ApiSchema({ name: 'VmVnc' })
export class VmVncSchema implements VmVncView {
  @ApiProperty({ description: "the VM's host's management address, where its console is served" })
  host!: string;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 65535 })
  port!: number;

  @ApiProperty({ description: 'a one-time ticket for the console, good until expires_at' })
  ticket!: string;

  @ApiProperty({ format: 'date-time' })
  expires_at!: string;
}
