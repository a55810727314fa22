/** The device name of a VM's disk at `position` (0 → vda, 25 → vdz, 26 → vdaa …), as libvirt names virtio disks. */
export function diskTarget(position: number): string {
  let name = '';
  let n = position;
  do {
    name = String.fromCharCode(97 + (n % 26)) + name;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return `vd${name}`;
}
