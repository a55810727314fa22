import { InvalidArgumentError } from '../../platform/errors/domain-error';
import { orderVolumes } from './commands/create-vm';
import { diskTarget } from './vm-devices';

const GIB = 2 ** 30;
const volume = (name: string, extra: object = {}) => ({ name, size: 10 * GIB, volume_spec_uuid: 's', ...extra });

describe('a VM’s volumes and devices', () => {
  it('puts the root volume first: the one marked root, else the first, made from an image', () => {
    expect(orderVolumes([volume('a', { image_uuid: 'i' }), volume('b')], false).map((v) => [v.name, v.root])).toEqual([
      ['a', 1],
      ['b', 0],
    ]);
    expect(
      orderVolumes([volume('data'), volume('os', { image_uuid: 'i', root: 1 })], false).map((v) => [v.name, v.root]),
    ).toEqual([
      ['os', 1],
      ['data', 0],
    ]);
    expect(orderVolumes([volume('data')], true).map((v) => [v.name, v.root])).toEqual([['data', 0]]);
    expect(orderVolumes([], true)).toEqual([]);
  });

  it('refuses no root, a root without an image, and two roots', () => {
    expect(() => orderVolumes([], false)).toThrow(InvalidArgumentError);
    expect(() => orderVolumes([volume('a')], false)).toThrow('volumes: the root volume needs an image_uuid to be made from');
    expect(() =>
      orderVolumes([volume('a', { root: 1, image_uuid: 'i' }), volume('b', { root: 1, image_uuid: 'i' })], false),
    ).toThrow('volumes: at most one volume is the root (root: 1)');
  });

  it('names disks as libvirt names virtio disks', () => {
    expect([0, 1, 25, 26, 27, 127].map(diskTarget)).toEqual(['vda', 'vdb', 'vdz', 'vdaa', 'vdab', 'vddx']);
  });
});
